/**
 * How long a test waits for something that should happen (an agent event, an operation's end, a line of server
 * output) before it calls it a hang. A bound, never an expectation: on two cores shared with other builds a step
 * that takes a second alone can take tens of seconds, and a wait that gives up early is a flaky test.
 */
export const PATIENCE_MS = 90_000;
