/**
 * What a test file leaves behind is removed when it ends: every child process the support helpers start
 * is tracked and stopped, and every temp folder lives under one private folder per test file.
 *
 * The setup file (tests/support/cleanup-setup.ts, in both vitest projects) points TMPDIR at a fresh
 * `scomo-run-*` folder before the file's tests run, so `os.tmpdir()` (and children that inherit the
 * environment) create their temp folders inside it; after the file's own afterAll hooks it stops the
 * tracked processes that are still running, waits for them to exit, and removes that folder.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const children = new Set<ChildProcess>();

/** A new temp folder inside this test file's private folder (removed when the file ends). */
export function tempDir(prefix = 'scomo-test-'): string {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Registers a child process to be stopped when the test file ends, if it is still running then. */
export function track<T extends ChildProcess>(child: T): T {
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Stops every tracked child still running (SIGKILL: the test is over) and resolves when all have exited. */
export async function stopTrackedProcesses(): Promise<number> {
	const alive = [...children].filter(running);
	await Promise.all(
		alive.map(
			(c) =>
				new Promise<void>((resolve) => {
					if (!running(c)) return resolve();
					c.once('exit', () => resolve());
					c.kill('SIGKILL');
				})
		)
	);
	children.clear();
	return alive.length;
}

let root: { dir: string; previous: string | undefined } | null = null;

/** Points TMPDIR at a fresh private folder for this test file. */
export function enterPrivateTemp(): string {
	const previous = process.env.TMPDIR;
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-run-'));
	process.env.TMPDIR = dir;
	root = { dir, previous };
	return dir;
}

/** Restores TMPDIR and removes the private folder with everything in it. */
export function leavePrivateTemp(): void {
	if (!root) return;
	if (root.previous === undefined) delete process.env.TMPDIR;
	else process.env.TMPDIR = root.previous;
	rmSync(root.dir, { recursive: true, force: true, maxRetries: 3 });
	root = null;
}
