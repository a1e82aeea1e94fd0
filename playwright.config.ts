import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against the built server
 * started on its own port and a throw-away data directory.
 */
const PORT = Number(process.env.E2E_PORT ?? 4317);
// Set in the environment (not only a constant) so test workers, which re-read this file in their own
// processes, and the helpers in tests/e2e/support see the same directory as the server.
const DATA_DIR = (process.env.E2E_DATA_DIR ??= `/tmp/scomo-e2e-${process.pid}`);
process.env.E2E_PORT ??= String(PORT);
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
	timeout: 60_000,
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
