/**
 * Rollouts in the console's words (issue #17): status chips, per-device states (the live operation of a
 * device's current try says more than the rollout's own state), and timeline entries from the audit rows.
 */
import type { RolloutDeviceView, RolloutPhaseStatus, RolloutStatus, RolloutTally } from '../contract/rollouts';

export type Tone = 'ok' | 'bad' | 'warn' | 'run' | 'plain';

export const ROLLOUT_STATUS_WORDS: Record<RolloutStatus, [string, Tone]> = {
	draft: ['Draft', 'plain'],
	'awaiting-approval': ['Awaiting approval', 'warn'],
	scheduled: ['Scheduled', 'plain'],
	running: ['Running', 'run'],
	paused: ['Paused', 'warn'],
	completed: ['Completed', 'ok'],
	aborted: ['Aborted', 'bad'],
	ended: ['Ended', 'plain']
};

export const PHASE_STATUS_WORDS: Record<RolloutPhaseStatus, [string, Tone]> = {
	waiting: ['Waiting', 'plain'],
	running: ['Running', 'run'],
	'awaiting-confirmation': ['Awaiting confirmation', 'warn'],
	paused: ['Paused', 'warn'],
	done: ['Done', 'ok']
};

/** Where one device stands, in words, and with the download's bytes when it is downloading. */
export function deviceStateWords(d: RolloutDeviceView, now: number): { label: string; tone: Tone; bytes: { done: number; total: number | null } | null } {
	const op = d.operation;
	switch (d.state) {
		case 'succeeded':
			return { label: 'Succeeded', tone: 'ok', bytes: null };
		case 'failed':
			return { label: d.nextAttemptAt && d.nextAttemptAt > now ? 'Failed, retry planned' : `Failed${d.lastResultCode ? ` (${d.lastResultCode})` : ''}`, tone: 'bad', bytes: null };
		case 'refused':
			return { label: 'Refused by the user', tone: 'warn', bytes: null };
		case 'withdrawn':
			return { label: 'Withdrawn', tone: 'plain', bytes: null };
		case 'waiting':
			return { label: d.nextAttemptAt && d.nextAttemptAt > now ? 'Waiting to retry' : 'Waiting for its phase or window', tone: 'plain', bytes: null };
		case 'delivered': {
			if (op?.status === 'awaiting-consent') return { label: 'Awaiting the user’s consent', tone: 'warn', bytes: null };
			if (op?.status === 'in-progress' && op.bytesDone !== null) return { label: 'Downloading', tone: 'run', bytes: { done: op.bytesDone, total: op.bytesTotal } };
			if (op?.status === 'in-progress') return { label: 'In progress', tone: 'run', bytes: null };
			if (op?.status === 'queued') return { label: 'Queued for the device', tone: 'plain', bytes: null };
			return { label: 'Delivered', tone: 'run', bytes: null };
		}
	}
}

export const DEVICE_STATE_FILTERS = [
	['', 'All states'],
	['waiting', 'Waiting'],
	['delivered', 'Delivered / under way'],
	['succeeded', 'Succeeded'],
	['failed', 'Failed'],
	['refused', 'Refused'],
	['withdrawn', 'Withdrawn']
] as const;

/** The tally as one line, for screen readers and anyone who cannot tell the bar's colours apart. */
export function tallyText(t: RolloutTally): string {
	return [`${t.succeeded} succeeded`, t.failed ? `${t.failed} failed` : '', t.refused ? `${t.refused} refused` : '', t.pending ? `${t.pending} pending` : ''].filter(Boolean).join(', ') + ` of ${t.total}`;
}

/** One timeline entry (an audit row of the rollout) in words. */
export function timelineWords(e: { action: string; outcome: string; detail: unknown }): string {
	const d = (e.detail ?? {}) as { phase?: number; status?: string; note?: string; reason?: string; detail?: string; devices?: number; unplaced?: number };
	const phase = d.phase !== undefined ? `Phase ${d.phase + 1}` : 'The phase';
	const note = d.note ? ` — “${d.note}”` : '';
	switch (e.action) {
		case 'rollout.create':
			return 'Created as a draft';
		case 'rollout.start':
			return e.outcome === 'awaiting-approval' ? 'Started; waits for a passkey approval' : 'Started';
		case 'rollout.approve':
			return e.outcome === 'ok' ? 'Approved with a passkey' : 'A passkey approval was refused';
		case 'rollout.activate':
			return `Began: devices placed in phases${d.unplaced ? ` (${d.unplaced} not in any phase)` : ''}`;
		case 'rollout.phase':
			if (d.status === 'running') return `${phase} started`;
			if (d.status === 'done') return `${phase} done${e.outcome === 'confirm' ? ' (confirmed by a person)' : ''}`;
			if (e.outcome === 'await-confirmation') return `${phase} waits for a person to confirm the next phase${d.detail ? ` (${d.detail})` : ''}`;
			if (e.outcome === 'pause' || e.outcome === 'abort') return `${phase} ${e.outcome === 'pause' ? 'paused' : 'aborted'} on ${d.reason ?? 'a threshold'}${d.detail ? `: ${d.detail}` : ''}`;
			if (d.status === 'open') return `${phase} stays open for devices that join later`;
			return `${phase}: ${e.outcome}`;
		case 'rollout.pause':
			return `Paused${d.reason ? `: ${d.reason}` : ''}${note}`;
		case 'rollout.resume':
			return `Resumed${note}`;
		case 'rollout.abort':
			return `Aborted${note}`;
		case 'rollout.complete':
			return 'Completed';
		case 'rollout.end':
			return 'Ended at its end time';
		case 'rollout.retry-failures':
			return `Failures retried${d.devices !== undefined ? ` (${d.devices} device${d.devices === 1 ? '' : 's'})` : ''}`;
		case 'rollout.batch':
			return `Sent to ${d.devices ?? 'some'} device${d.devices === 1 ? '' : 's'}`;
		case 'rollout.timeout':
			return 'Devices silent past the timeout counted as failed';
		case 'rollout.join':
			return 'Devices joined the target';
		default:
			return `${e.action.replace(/^rollout\./, '')}: ${e.outcome}`;
	}
}
