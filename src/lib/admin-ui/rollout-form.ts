/**
 * The new-rollout form's draft (what a person fills on a phone: plain strings and numbers) and how it becomes
 * the contract's RolloutDefinition (src/lib/contract/rollouts.ts). The server validates the result with the
 * contract's schema and the service's checks; the issues come back with paths (`phases.1.success.percent`),
 * which `fieldKey` maps to the form's fields so each message shows at its field.
 */
import { compileWindow, windowState } from '../core/rollout';
import type { ConsentMode } from '../core';
import type { StepDraft } from './types';

export type PhaseDraft = {
	name: string;
	sizeKind: 'count' | 'percent' | 'group' | 'rest';
	size: number;
	/** The group whose devices make the phase (sizeKind 'group'). */
	groupId: string;
	successPercent: number;
	successThen: 'advance' | 'pause';
	/** A threshold is a number of devices or a percent of the phase's devices. */
	errorUnit: ThresholdUnit;
	errorPercent: number;
	errorThen: 'pause' | 'abort';
	refusalUnit: ThresholdUnit;
	refusalPercent: number;
	refusalThen: 'pause' | 'abort' | 'continue';
};

export type ThresholdUnit = 'percent' | 'count';

export type WindowDraft = { cron: string; durationMinutes: number; timeZone: string };

export type RolloutDraft = {
	name: string;
	/** The devices: those a filter matches, or a device group's. */
	targetKind: 'filter' | 'group';
	filter: string;
	groupId: string;
	/** snapshot: the devices of the target at start; continuous: devices joining later go in the last phase. */
	mode: 'snapshot' | 'continuous';
	steps: StepDraft[];
	consentMode: ConsentMode | undefined;
	intent: string;
	phases: PhaseDraft[];
	/** 'now': when started; 'at': at `startAt` (a datetime-local value, the browser's own time zone). */
	start: 'now' | 'at';
	startAt: string;
	endAt: string;
	endBehavior: 'withdraw' | 'let-finish';
	ratePerMinute: string;
	windows: WindowDraft[];
	retryCount: number;
	retryDelayMinutes: number;
	timeoutMinutes: string;
};

const phase = (name: string, sizeKind: PhaseDraft['sizeKind'], size: number): PhaseDraft => ({
	name,
	sizeKind,
	size,
	groupId: '',
	successPercent: 100,
	successThen: 'advance',
	errorUnit: 'percent',
	errorPercent: 10,
	errorThen: 'pause',
	refusalUnit: 'percent',
	refusalPercent: 50,
	refusalThen: 'pause'
});

/** The usual shape: one canary device, then 10 %, then everything else. */
export const defaultPhases = (): PhaseDraft[] => [phase('Canary', 'count', 1), phase('10 percent', 'percent', 10), phase('Everyone else', 'rest', 0)];
export const newPhase = (n: number): PhaseDraft => phase(`Phase ${n}`, 'percent', 25);

export function defaultDraft(firstComponent: string): RolloutDraft {
	return {
		name: '',
		targetKind: 'filter',
		filter: '',
		groupId: '',
		mode: 'snapshot',
		steps: [{ kind: 'DownloadInstall', componentId: firstComponent, version: '' }],
		consentMode: undefined,
		intent: '',
		phases: defaultPhases(),
		start: 'now',
		startAt: '',
		endAt: '',
		endBehavior: 'let-finish',
		ratePerMinute: '',
		windows: [],
		retryCount: 2,
		retryDelayMinutes: 5,
		timeoutMinutes: ''
	};
}

export const newWindow = (timeZone: string): WindowDraft => ({ cron: '0 2 * * *', durationMinutes: 120, timeZone });

/** A datetime-local value as milliseconds (the browser's zone), or null when empty or unreadable. */
function epochOf(local: string): number | null {
	if (!local.trim()) return null;
	const t = new Date(local).getTime();
	return Number.isNaN(t) ? null : t;
}
const numOrNull = (s: string) => (s.trim() === '' ? null : Number(s));

function sizeOf(p: PhaseDraft) {
	if (p.sizeKind === 'rest') return { kind: 'rest' as const };
	if (p.sizeKind === 'group') return { kind: 'group' as const, groupId: p.groupId };
	if (p.sizeKind === 'count') return { kind: 'count' as const, count: Number(p.size) };
	return { kind: 'percent' as const, percent: Number(p.size) };
}
/** A threshold's value goes in as what the person chose: a count of devices or a percent. */
const threshold = (unit: ThresholdUnit, value: number) => (unit === 'count' ? { count: Number(value) } : { percent: Number(value) });

/** The definition the server checks (numbers as typed: a wrong one is the contract's to refuse, at its path). */
export function toDefinition(d: RolloutDraft) {
	return {
		name: d.name.trim(),
		target: d.targetKind === 'group' ? { kind: 'group' as const, groupId: d.groupId } : { kind: 'filter' as const, filter: d.filter },
		mode: d.mode,
		steps: {
			operations: d.steps.map((s) => ({ kind: s.kind, ...(s.componentId ? { componentId: s.componentId } : {}), ...(s.version ? { version: s.version } : {}) })),
			consentMode: d.consentMode ?? 'confirm',
			intent: d.intent.trim()
		},
		phases: d.phases.map((p) => ({
			name: p.name.trim(),
			size: sizeOf(p),
			success: { percent: Number(p.successPercent), then: p.successThen },
			error: { ...threshold(p.errorUnit, p.errorPercent), then: p.errorThen },
			refusal: { ...threshold(p.refusalUnit, p.refusalPercent), then: p.refusalThen }
		})),
		schedule: { startAt: d.start === 'at' ? epochOf(d.startAt) : null, endAt: epochOf(d.endAt), endBehavior: d.endBehavior },
		ratePerMinute: numOrNull(d.ratePerMinute),
		windows: d.windows.map((w) => ({ cron: w.cron.trim(), durationMinutes: Number(w.durationMinutes), timeZone: w.timeZone.trim() })),
		retry: { count: Number(d.retryCount), firstDelayMs: Math.round(Number(d.retryDelayMinutes) * 60_000), maxDelayMs: Math.max(Math.round(Number(d.retryDelayMinutes) * 60_000), 3_600_000) },
		inProgressTimeoutMs: numOrNull(d.timeoutMinutes) === null ? null : Math.round(Number(d.timeoutMinutes) * 60_000)
	};
}

/**
 * The form field an issue path belongs to: phases and windows by row and field, steps by row, the schedule by
 * field; `retry.firstDelayMs` and the like to the field that sets them. Unknown paths go to the form's top.
 */
export function fieldKey(path: string): string {
	let m = /^phases\.(\d+)\.(size|success|error|refusal|name)/.exec(path);
	if (m) return `phases.${m[1]}.${m[2]}`;
	m = /^windows\.(\d+)\.(cron|durationMinutes|timeZone)/.exec(path);
	if (m) return `windows.${m[1]}.${m[2]}`;
	m = /^steps\.operations\.(\d+)/.exec(path);
	if (m) return 'steps';
	if (/^steps\.operations$/.test(path)) return 'steps';
	if (path === 'steps.consentMode') return 'consentMode';
	if (path === 'steps.intent') return 'intent';
	if (path.startsWith('target.groupId')) return 'group';
	if (path.startsWith('target')) return 'filter';
	if (path === 'mode') return 'mode';
	if (path.startsWith('schedule.startAt')) return 'startAt';
	if (path.startsWith('schedule.endAt')) return 'endAt';
	if (path.startsWith('retry')) return 'retry';
	if (path.startsWith('inProgressTimeoutMs')) return 'timeout';
	if (path.startsWith('ratePerMinute')) return 'rate';
	if (path === 'phases') return 'phases';
	if (path === 'name') return 'name';
	return 'form';
}

/** Issues by form field (the first message per field), for showing each next to its field. */
export function errorsByField(issues: readonly { path: string; message: string }[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const i of issues) {
		const k = fieldKey(i.path);
		out[k] ??= i.message;
	}
	return out;
}

/**
 * A maintenance window explained: when it next opens (or that it is open now, until when), in the window's own
 * zone; or what is wrong with it, at its field.
 */
export function explainWindow(w: WindowDraft, now: number): { ok: true; text: string } | { ok: false; field: string; message: string } {
	const c = compileWindow({ cron: w.cron.trim(), durationMinutes: Number(w.durationMinutes), timeZone: w.timeZone.trim() });
	if (!c.ok) return { ok: false, field: c.error.field, message: c.error.message };
	const fmt = (t: number) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: w.timeZone.trim() }).format(t);
	const s = windowState(c.value, now);
	const hours = Number(w.durationMinutes) >= 60 ? `${Math.floor(Number(w.durationMinutes) / 60)} h${Number(w.durationMinutes) % 60 ? ` ${Number(w.durationMinutes) % 60} min` : ''}` : `${w.durationMinutes} min`;
	if (s.open) return { ok: true, text: `Open now, until ${fmt(s.closesAt)} (${w.timeZone}).` };
	if (s.opensAt === null) return { ok: true, text: 'This window never opens again.' };
	const ends = s.opensAt + c.value.durationMs;
	const endText = fmt(ends).slice(0, -5) === fmt(s.opensAt).slice(0, -5) ? fmt(ends).slice(-5) : fmt(ends);
	return { ok: true, text: `Next window: ${fmt(s.opensAt)} – ${endText} (${hours}, ${w.timeZone} time).` };
}

/** The contract's wording ("Invalid value: Expected >=1 but received 0") in plain words. */
export function plainMessage(msg: string): string {
	let m = /Expected >=(\S+) but received/.exec(msg);
	if (m) return /length/i.test(msg) ? (m[1] === '1' ? 'Fill this in.' : `Needs at least ${m[1]}.`) : `Must be at least ${m[1]}.`;
	m = /Expected <=(\S+) but received/.exec(msg);
	if (m) return /length/i.test(msg) ? `Keep it to ${m[1]} characters.` : `Must be at most ${m[1]}.`;
	if (/Expected number but received/.test(msg)) return 'Enter a number.';
	if (/Expected .*integer/i.test(msg)) return 'Enter a whole number.';
	return msg;
}
