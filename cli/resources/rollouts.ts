/**
 * `scomo rollouts ...`: list, show (with per-phase tallies), devices, create (from a JSON definition file, or
 * from flags for the common case), start, pause, resume (also confirms a phase waiting for it), abort,
 * retry-failures — /api/v1/rollouts (docs/rollouts.md). Created rollouts are drafts; `start` sends.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { CONSENT_MODES } from '../../src/lib/core';
import { ROLLOUT_DEVICE_STATES, ROLLOUT_STATUSES, type RolloutDetail, type RolloutDevicePage, type RolloutPage, type RolloutTally, type RolloutView } from '../../src/lib/contract/rollouts';
import type { RestClient } from '../client';
import { intIn, usage, type Resource } from '../context';
import { fields, pageNote, table, time, type Column } from '../output';
import { groupId } from './groups';
import { kindOf } from './operations';

const oneOf = (list: readonly string[], what: string) => (v: string) => {
	if (!list.includes(v)) throw new InvalidArgumentError(`${what}: one of ${list.join(', ')}`);
	return v;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

const tallyText = (t: RolloutTally) => `${t.succeeded}/${t.total} ok, ${t.failed} failed, ${t.refused} refused, ${t.pending} pending`;

const COLUMNS: Column<RolloutView>[] = [
	['id', (r) => r.id],
	['name', (r) => r.name],
	['status', (r) => r.status],
	['phase', (r) => r.currentPhase + 1],
	['devices', (r) => tallyText(r.tally)],
	['created', (r) => time(r.createdAt)]
];

/**
 * One step from `kind:component[@version]` (kind as in `operations create`: install, update, start, …, or a
 * SCOMO kind), e.g. `install:com.acme.clock@2.1.0`; `inventory` alone needs no component.
 */
export function parseStep(text: string): { kind: string; componentId?: string; version?: string } {
	const m = /^([^:@]+)(?::([^@]+)(?:@(.+))?)?$/.exec(text.trim());
	if (!m) throw usage(`--step ${text}: kind:component[@version], e.g. install:com.acme.clock@2.1.0`);
	return { kind: kindOf(m[1]!), ...(m[2] ? { componentId: m[2] } : {}), ...(m[3] ? { version: m[3] } : {}) };
}

type PhaseSize = { kind: 'count'; count: number } | { kind: 'percent'; percent: number } | { kind: 'group'; groupId: string } | { kind: 'rest' };

/**
 * Phases from a list like `1,10%,rest` (a count, a percent of the target, the rest) or `group:Canaries,rest`
 * (a group's devices); group names are resolved to IDs. Every phase gets the console's defaults: go on at
 * 100 % success (or wait for a person with --confirm), pause at 10 % failures or 50 % refusals.
 */
export async function parsePhases(api: RestClient, text: string, confirm: boolean) {
	const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
	if (parts.length === 0) throw usage('--phases: at least one phase, e.g. "1,10%,rest"');
	const phases = [];
	for (const [i, p] of parts.entries()) {
		let size: PhaseSize;
		if (p === 'rest') size = { kind: 'rest' };
		else if (/^\d+$/.test(p) && Number(p) >= 1) size = { kind: 'count', count: Number(p) };
		else if (/^\d+(\.\d+)?%$/.test(p) && Number(p.slice(0, -1)) <= 100) size = { kind: 'percent', percent: Number(p.slice(0, -1)) };
		else if (p.startsWith('group:') && p.length > 6) size = { kind: 'group', groupId: await groupId(api, p.slice(6)) };
		else throw usage(`--phases: “${p}” is not a count (5), a percent (10%), group:NAME or rest`);
		const last = i === parts.length - 1;
		phases.push({
			name: size.kind === 'rest' ? 'The rest' : size.kind === 'group' ? p.slice(6) : `Phase ${i + 1}`,
			size,
			success: { percent: 100, then: confirm && !last ? 'pause' : 'advance' },
			error: { percent: 10, then: 'pause' },
			refusal: { percent: 50, then: 'pause' }
		});
	}
	return phases;
}

type CreateFlags = { file?: string; name?: string; filter?: string; group?: string; step?: string[]; phases: string; confirm?: boolean; consent: string; intent: string; mode: string };

async function definitionOf(api: RestClient, o: CreateFlags): Promise<unknown> {
	if (o.file !== undefined) {
		let text: string;
		try {
			text = o.file === '-' ? await readStdin() : await readFile(o.file, 'utf8');
		} catch (e) {
			throw usage(`--file ${o.file}: ${(e as Error).message}`);
		}
		try {
			return JSON.parse(text);
		} catch (e) {
			throw usage(`--file ${o.file}: not JSON (${(e as Error).message})`);
		}
	}
	if (!o.name) throw usage('name the rollout with --name (or give the whole definition with --file)');
	if ((o.filter === undefined) === (o.group === undefined)) throw usage('target the devices with --filter F or --group G (one of them)');
	if (!o.step?.length) throw usage('say what each device does with --step kind:component[@version], e.g. --step install:com.acme.clock');
	return {
		name: o.name,
		target: o.group !== undefined ? { kind: 'group', groupId: await groupId(api, o.group) } : { kind: 'filter', filter: o.filter },
		mode: o.mode,
		steps: { operations: o.step.map(parseStep), consentMode: o.consent, intent: o.intent },
		phases: await parsePhases(api, o.phases, !!o.confirm)
	};
}

async function readStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of process.stdin) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

const path = (id: string) => `/api/v1/rollouts/${encodeURIComponent(id)}`;

function detailText(d: RolloutDetail): string {
	const r = d.rollout;
	const head = fields({
		id: r.id,
		name: r.name,
		status: r.statusReason ? `${r.status} (${r.statusReason})` : r.status,
		target: d.definition.target.kind === 'group' ? `group ${d.definition.target.groupId}` : `filter “${d.definition.target.filter}”`,
		mode: d.definition.mode,
		steps: d.definition.steps.operations.map((s) => [s.kind, s.componentId, s.version].filter(Boolean).join(' ')).join(', '),
		devices: tallyText(r.tally),
		started: time(r.startedAt),
		finished: time(r.finishedAt)
	});
	const phases = table(d.phases, [
		['#', (p) => p.idx + 1],
		['phase', (p) => p.name],
		['status', (p) => p.status],
		['total', (p) => p.tally.total],
		['ok', (p) => p.tally.succeeded],
		['failed', (p) => p.tally.failed],
		['refused', (p) => p.tally.refused],
		['pending', (p) => p.tally.pending]
	]);
	return `${head}\n\n${phases}${d.unplaced ? `\n${d.unplaced} device(s) of the target are in no phase.` : ''}`;
}

export const rollouts: Resource = (program, ctx) => {
	const cmd = program.command('rollouts').description('staged rollouts of the MA of the token');

	cmd
		.command('list')
		.description('rollouts newest first with their tallies, one page (or --all)')
		.option('--status <status>', `only in this status (${ROLLOUT_STATUSES.join(', ')})`, oneOf(ROLLOUT_STATUSES, 'status'))
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor')
		.option('--all', 'every page, following the cursors')
		.action(async (o: { status?: string; limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const page: RolloutPage = await api.list<RolloutView>('/api/v1/rollouts', { status: o.status, limit: o.limit, cursor: o.cursor }, !!o.all);
			out.print(page, (p) => `${table(p.items, COLUMNS)}\n${pageNote(p.items.length, p.total, p.nextCursor)}`);
		});

	cmd
		.command('show <id>')
		.description('one rollout: status, definition, and each phase’s tally')
		.action(async (id: string, _o, c) => {
			const { api, out } = ctx(c);
			out.print(await api.get<RolloutDetail>(path(id)), detailText);
		});

	cmd
		.command('devices <id>')
		.description('a rollout’s devices with their state and tries, one page (or --all)')
		.option('--phase <n>', 'only this phase’s (1 = the first)', intIn(1, 50))
		.option('--state <state>', `only in this state (${ROLLOUT_DEVICE_STATES.join(', ')})`, oneOf(ROLLOUT_DEVICE_STATES, 'state'))
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor')
		.option('--all', 'every page, following the cursors')
		.action(async (id: string, o: { phase?: number; state?: string; limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const q = { phase: o.phase === undefined ? undefined : o.phase - 1, state: o.state, limit: o.limit, cursor: o.cursor };
			const page = (await api.list<RolloutDevicePage['items'][number]>(`${path(id)}/devices`, q, !!o.all)) as RolloutDevicePage;
			out.print(page, (p) =>
				[
					table(p.items, [
						['device', (d) => d.deviceId],
						['name', (d) => d.name],
						['phase', (d) => d.phaseIdx + 1],
						['state', (d) => d.state],
						['tries', (d) => d.attempts],
						['operation', (d) => d.operation?.status ?? ''],
						['result', (d) => d.lastResultCode ?? '']
					]),
					pageNote(p.items.length, p.total, p.nextCursor)
				].join('\n')
			);
		});

	cmd
		.command('create')
		.description('a draft rollout, from a JSON definition (--file, - for stdin) or from flags: --name, --filter or --group, --step, --phases')
		.option('--file <path>', 'the whole definition as POST /api/v1/rollouts takes it (docs/rollouts.md)')
		.option('--name <name>', 'the rollout’s name')
		.option('--filter <filter>', 'target: the devices this filter matches ("" for every device)')
		.option('--group <group>', 'target: a device group (ID or name)')
		.option('--step <step>', 'what each device does, kind:component[@version], e.g. install:com.acme.clock@2.1.0 (repeat for a sequence)', collect)
		.option('--phases <list>', 'phase sizes: counts, percents, group:NAME and rest, e.g. "1,10%,rest"', 'rest')
		.option('--confirm', 'wait for a person (resume) before each phase after the first')
		.option('--mode <mode>', 'snapshot: the devices matching at start; continuous: devices matching later join the last phase', oneOf(['snapshot', 'continuous'], 'mode'), 'snapshot')
		.option('--consent <mode>', `how the user is asked: ${CONSENT_MODES.join(', ')}`, oneOf(CONSENT_MODES, 'consent'), 'confirm')
		.option('--intent <text>', 'the message the device’s user reads (why)', '')
		.action(async (o: CreateFlags, c) => {
			const { api, out } = ctx(c);
			const r = await api.request<RolloutView>('POST', '/api/v1/rollouts', await definitionOf(api, o));
			out.print(r, (v) => `Rollout ${v.name}: ${v.id} (${v.status}); start it with: rollouts start ${v.id}`);
		});

	const actions: [name: string, description: string, note: boolean][] = [
		['start', 'start a draft (a high-risk one then waits for its passkey approval in the console)', false],
		['pause', 'no device starts until it is resumed; devices under way finish', true],
		['resume', 'run a paused rollout again, or confirm a phase waiting for confirmation', true],
		['abort', 'withdraw waiting devices and commands not yet run', true],
		['retry-failures', 'failed devices of the phases so far wait for another try', false]
	];
	for (const [name, description, note] of actions) {
		const sub = cmd.command(`${name} <id>`).description(description);
		if (note) sub.option('--note <text>', 'why (kept in the audit log)');
		sub.action(async (id: string, o: { note?: string }, c) => {
			const { api, out } = ctx(c);
			const r = await api.request<RolloutView>('POST', `${path(id)}/${name}`, note && o.note ? { note: o.note } : undefined);
			out.print(r, (v) => `Rollout ${v.name}: ${v.status}${v.statusReason ? ` (${v.statusReason})` : ''}, phase ${v.currentPhase + 1}; ${tallyText(v.tally)}.`);
		});
	}
};
