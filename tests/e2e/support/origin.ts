/**
 * The e2e server's origin. playwright.config.ts picks the port (a free one unless E2E_PORT is given) and puts
 * it in the environment before any worker starts, so every process agrees on it; a missing value is a setup
 * error, never a silent fallback to some fixed port another run may be using.
 */
const port = process.env.E2E_PORT;
if (!port) throw new Error('E2E_PORT is not set: run the e2e tests through Playwright (playwright.config.ts sets it)');

export const E2E_ORIGIN = `http://localhost:${port}`;
