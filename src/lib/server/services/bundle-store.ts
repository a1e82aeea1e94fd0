/**
 * Component bundles on disk, named by their SHA-256 (<dataDir>/bundles/<sha256>.js). Content-addressed:
 * the same bytes are stored once, and a file's name proves what it holds (SCOMO-SEC-03).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync, createReadStream, statSync, type ReadStream } from 'node:fs';
import path from 'node:path';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function bundlePath(dataDir: string, sha256: string): string {
	if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 digest');
	return path.join(dataDir, 'bundles', `${sha256}.js`);
}

/** Writes atomically (temp file + rename) so a crash never leaves a truncated bundle under its digest. */
export function storeBundle(dataDir: string, bytes: Uint8Array): { sha256: string; size: number } {
	const sha256 = sha256Hex(bytes);
	const file = bundlePath(dataDir, sha256);
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true });
		const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
		writeFileSync(tmp, bytes, { mode: 0o600 }); // served only through sealed downloads, never read by others
		renameSync(tmp, file);
	}
	return { sha256, size: bytes.length };
}

export function openBundle(dataDir: string, sha256: string): { stream: ReadStream; size: number } | null {
	const file = bundlePath(dataDir, sha256);
	if (!existsSync(file)) return null;
	return { stream: createReadStream(file), size: statSync(file).size };
}
