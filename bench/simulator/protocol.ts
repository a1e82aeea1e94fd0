/** The runner ↔ simulator IPC messages (child_process.fork). */
import type { SeedComponent } from './runtime-device';
import type { OpRecord } from './record';
import type { WireReport } from './wire-tap';

export type SimRequest =
	| { cmd: 'init'; serverUrl: string; localAddress?: string; seed: SeedComponent; device: 'runtime' | 'lean' }
	| { cmd: 'enroll'; codes: string[]; concurrency: number }
	| { cmd: 'connect'; perWave: number; waveMs: number; timeoutMs: number }
	| { cmd: 'disconnect' }
	| { cmd: 'online' }
	| { cmd: 'take' }
	| { cmd: 'progress' }
	| { cmd: 'watch'; correlators: string[] }
	| { cmd: 'running' }
	| { cmd: 'raw-connect'; url: string; n: number; perWave: number; waveMs: number; timeoutMs: number; localAddress?: string }
	| { cmd: 'raw-close' }
	| { cmd: 'exit' };

export type SimReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export type ConnectReport = { online: number; total: number; ms: number; connectMs: number[] };
export type TakeReport = { ops: [string, OpRecord][]; errors: string[]; wire: WireReport };
export type ProgressReport = { acked: number; seen: number; errors: number };
export type RawConnectReport = { connected: number; ms: number; connectMs: number[] };
