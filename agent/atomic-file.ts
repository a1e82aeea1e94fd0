/**
 * Durable, atomic file writes: write a temporary file, fsync it, rename it over the target, fsync the
 * directory. A crash at any moment leaves either the old content or the new one, never a torn file.
 */
import { open, rename, readFile, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
	const dir = path.dirname(file);
	await mkdir(dir, { recursive: true, mode: 0o700 });
	const tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
	const fh = await open(tmp, 'w', mode);
	try {
		await fh.writeFile(data);
		await fh.sync();
	} catch (e) {
		await fh.close();
		await unlink(tmp).catch(() => {});
		throw e;
	}
	await fh.close();
	await rename(tmp, file);
	const dh = await open(dir, 'r');
	try {
		await dh.sync();
	} finally {
		await dh.close();
	}
}

/** The file's JSON, or `fallback` when it does not exist yet. A corrupt file is an error, not a reset. */
export async function readJson<T>(file: string, fallback: T): Promise<T> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
		throw e;
	}
	return JSON.parse(text) as T;
}
