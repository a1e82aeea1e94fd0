/** Staged rollouts (issue #17): the pure rules the scheduler applies; it brings the clock and the store. */
export * from './maintenance-window';
export * from './phases';
export * from './pacing';
