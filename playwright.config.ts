import { defineConfig, devices } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against the built server
 * started on its own port and a throw-away data directory.
 */

/** A port free right now (the OS picks it), asked synchronously because this file is loaded synchronously. */
function freePort(): number {
	const probe = `const s = require('node:net').createServer().listen(0, 'localhost', () => { process.stdout.write(String(s.address().port)); s.close(); });`;
	return Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
}
// A free port unless E2E_PORT says otherwise, so two runs on one machine never collide. Chosen once, in the
// runner process, and put in the environment: test workers re-read this file in their own processes and
// must see the same port (they inherit the runner's environment), as must the helpers in tests/e2e/support.
process.env.E2E_PORT ||= String(freePort());
const PORT = Number(process.env.E2E_PORT);
// Set in the environment (not only a constant) so test workers, which re-read this file in their own
// processes, and the helpers in tests/e2e/support see the same directory as the server.
const DATA_DIR = (process.env.E2E_DATA_DIR ??= `/tmp/scomo-e2e-${process.pid}`);
export const E2E_DATA_DIR = DATA_DIR;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	// Not test-results/ itself: Playwright empties its output folder, and the other tiers' reports live there.
	outputDir: 'test-results/e2e-artifacts',
	fullyParallel: false,
	workers: 1,
	forbidOnly: true,
	retries: 0,
	// A hang detector, not an expectation: a scenario that registers passkeys for several administrators takes
	// ~20 s alone and past 60 s on two cores shared with other builds.
	timeout: 180_000,
	// Waits for what should appear on the page: generous for the same reason (a bound, never a timing test).
	expect: { timeout: 20_000 },
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
	webServer: {
		command: `rm -rf ${DATA_DIR} && node --import tsx server.ts`,
		url: `http://localhost:${PORT}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		env: { SCOMO_PORT: String(PORT), SCOMO_DATA_DIR: DATA_DIR, SCOMO_LOG_LEVEL: 'warn' }
	}
});
