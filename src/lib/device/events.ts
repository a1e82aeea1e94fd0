/**
 * What the runtime tells its host: the agent prints these as JSON lines (tests wait on them), the PWA shows
 * them. Observing only: nothing in the runtime depends on who listens.
 */
import type { OperationKind, OperationalState } from '../core';
import type { ProgressMsg } from '../contract';
import type { SendOutcome } from './link';

export type RuntimeEvent =
	| { event: 'connected'; deviceId: string; maIds: string[] }
	| { event: 'disconnected'; reason: string }
	| { event: 'auth-failed'; code: string; message: string }
	| { event: 'server-error'; code: string; message: string; about?: string }
	| { event: 'commands'; maId: string; batchId: string | null; correlators: string[]; fresh: string[] }
	| { event: 'commands-invalid'; message: string }
	/** SCOMO-SEC-01: operations refused by command verification (verify.ts); never executed. */
	| { event: 'command-rejected'; maId: string; batchId: string | null; correlators: string[]; code: number; message: string }
	| { event: 'trust-updated'; maId: string; seq: number }
	/** SCOMO-SEC-02: a newer statement signed by the MA key that weakens trust without a trusted passkey's approval. */
	| { event: 'trust-refused'; maId: string; seq: number; reason: string }
	| { event: 'consent'; maId: string; correlators: string[]; decision: 'accepted' | 'refused'; how: string }
	| { event: 'operation'; correlator: string; kind: OperationKind; componentId: string | null; resultCode: number; message: string }
	| { event: 'result-sent'; correlator: string; outcome: SendOutcome }
	/** A set's journal entry is gone, durably: every operation of it has its result (a host's "idle" signal). */
	| { event: 'set-finished'; maId: string; batchId: string | null; correlators: string[] }
	/** The MA withdrew operations (cancel): `correlators` end with 1462; `tooLate` had started, finished or are not its own. */
	| { event: 'withdrawn'; maId: string; correlators: string[]; tooLate: string[] }
	/** A withdrawal that does not verify (not signed by a key pinned for the MA, or for another device): ignored. */
	| { event: 'withdraw-refused'; maId: string; code: string; message: string }
	/** The MA decommissioned this device (verified): its components, journal, results and trust are erased here. */
	| { event: 'decommissioned'; maId: string; maName: string; erased: string[]; remainingMas: number }
	/** A decommission that does not verify (another device, another enrollment, a key not pinned): nothing erased. */
	| { event: 'decommission-refused'; maId: string; code: string; message: string }
	/** A download failed for a reason that may pass (offline, server restarting): tried again after delayMs. */
	| { event: 'download-retry'; correlator: string; attempt: number; delayMs: number; message: string }
	/** What the device told the server of an operation's progress (consent wait, download bytes, install). */
	| ({ event: 'progress' } & ProgressMsg)
	| { event: 'component-state'; componentId: string; operational: OperationalState; message: string }
	| { event: 'request-decided'; requestId: string; status: string; correlator: string | null }
	| { event: 'error'; where: string; message: string };

export type EventSink = (e: RuntimeEvent) => void;

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Human text on the wire is at most 500 characters with no control characters (contract HumanText). */
export function wireText(text: string, max = 500): string {
	const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
	return clean.length <= max ? clean : clean.slice(0, max - 1) + '…';
}
