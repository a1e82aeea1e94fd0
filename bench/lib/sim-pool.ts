/**
 * The simulator processes: fork them, each with its own loopback source address (127.0.0.2, 127.0.0.3, ...;
 * only 127.0.0.0/8), and stop them at the end.
 */
import path from 'node:path';
import { IpcChild } from './ipc-child';
import type { SimRequest } from '../simulator/protocol';

const SIMULATOR = path.resolve(import.meta.dirname, '../simulator/main.ts');

export type Simulator = IpcChild<SimRequest> & { index: number; localAddress: string };

export const loopbackAddress = (i: number) => {
	const n = 2 + i;
	if (n > 254) throw new Error('too many simulator processes for 127.0.0.x');
	return `127.0.0.${n}`;
};

export async function startSimulators(count: number, opts: { profileDir?: string | null } = {}): Promise<Simulator[]> {
	const sims: Simulator[] = [];
	for (let i = 0; i < count; i++) {
		const child = IpcChild.fork<SimRequest>(`simulator ${i}`, SIMULATOR, [
			'--max-old-space-size=4096',
			...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [])
		]);
		sims.push(Object.assign(child, { index: i, localAddress: loopbackAddress(i) }));
	}
	await Promise.all(sims.map((s) => s.ready));
	return sims;
}

export async function stopSimulators(sims: readonly Simulator[]): Promise<void> {
	await Promise.all(sims.map((s) => s.stop()));
}

/** Splits `items` into `parts` nearly equal consecutive slices. */
export function split<T>(items: readonly T[], parts: number): T[][] {
	const out: T[][] = [];
	const size = Math.ceil(items.length / parts);
	for (let i = 0; i < parts; i++) out.push(items.slice(i * size, (i + 1) * size));
	return out;
}
