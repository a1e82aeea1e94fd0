/**
 * Vitest setup file of both projects: each test file gets a private temp folder, and whatever processes
 * and folders it leaves are gone when it ends (see cleanup.ts). Registered before the file's own hooks,
 * this afterAll runs after them (vitest runs after-hooks in reverse order).
 */
import { afterAll } from 'vitest';
import { enterPrivateTemp, leavePrivateTemp, stopTrackedProcesses } from './cleanup';

// At load, before the test file is imported: a folder made at import time lands inside too.
enterPrivateTemp();

afterAll(async () => {
	await stopTrackedProcesses();
	leavePrivateTemp();
});
