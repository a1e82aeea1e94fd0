/**
 * `scomo operations ...`: create (install/update/start/stop/remove/inventory, or any SCOMO kind, on devices or
 * on every device a filter matches), list (pages, filters), show, cancel — /api/v1/operations.
 */
import { InvalidArgumentError } from 'commander';
import { CONSENT_MODES, OPERATION_KINDS, OPERATION_STATUSES } from '../../src/lib/core';
import type { DeviceView, OperationView } from '../../src/lib/contract/admin-protocol';
import { intIn, usage, type Resource } from '../context';
import { fields, pageNote, table, time, type Column } from '../output';

/** Operator words for the common SCOMO kinds; any SCOMO kind is accepted as itself too. */
const ACTIONS: Record<string, string> = { install: 'DownloadInstall', update: 'Update', start: 'Start', stop: 'Stop', remove: 'Remove', inventory: 'Inventory' };

export function kindOf(action: string): string {
	const kind = ACTIONS[action.toLowerCase()] ?? OPERATION_KINDS.find((k) => k.toLowerCase() === action.toLowerCase());
	if (!kind) throw usage(`${action}: ` + `one of ${Object.keys(ACTIONS).join(', ')} or a SCOMO kind (${OPERATION_KINDS.join(', ')})`);
	return kind;
}

const oneOf = (list: readonly string[], what: string) => (v: string) => {
	if (!list.includes(v)) throw new InvalidArgumentError(`${what}: one of ${list.join(', ')}`);
	return v;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

const COLUMNS: Column<OperationView>[] = [
	['correlator', (o) => o.correlator],
	['device', (o) => o.deviceId],
	['kind', (o) => o.kind],
	['component', (o) => [o.componentId, o.version].filter(Boolean).join(' ')],
	['status', (o) => o.status],
	['result', (o) => (o.resultCode === null ? '' : `${o.resultCode} ${o.resultName ?? ''}`.trim())],
	['created', (o) => time(o.createdAt)]
];

type Created = { batchId: string; operations: OperationView[]; approval: 'not-required' | 'pending'; warnings: { deviceId: string; resultCode: number; message: string }[] };

export const operations: Resource = (program, ctx) => {
	const cmd = program.command('operations').description('SCOMO operations of the MA of the token');

	cmd
		.command('create <action> [component]')
		.description(`start an operation on devices: ${Object.keys(ACTIONS).join(', ')} (or a SCOMO kind), with the component it applies to`)
		.option('--device <id>', 'a device ID (repeat for more)', collect)
		.option('--filter <filter>', 'every device this device filter matches (resolved now, page by page)')
		.option('--version <version>', 'the package version (default: the latest)')
		.option('--then <action>', 'a further step in the same batch, e.g. --then start (repeatable)', collect)
		.option('--consent <mode>', `how the user is asked: ${CONSENT_MODES.join(', ')}`, oneOf(CONSENT_MODES, 'consent'), 'confirm')
		.option('--intent <text>', 'the message the device’s user reads (why)', '')
		.action(async (action: string, component: string | undefined, o: { device?: string[]; filter?: string; version?: string; then?: string[]; consent: string; intent: string }, c) => {
			const { api, out } = ctx(c);
			if (!o.device?.length && o.filter === undefined) throw usage('name devices with --device ID or --filter F');
			let deviceIds = o.device ?? [];
			if (o.filter !== undefined) {
				const page = await api.list<DeviceView>('/api/v1/devices', { filter: o.filter, limit: 1000 }, true);
				deviceIds = [...new Set([...deviceIds, ...page.items.map((d) => d.id)])];
				if (deviceIds.length === 0) throw usage(`no device matches the filter “${o.filter}”`);
			}
			const step = (a: string, first: boolean) => ({
				kind: kindOf(a),
				...(component ? { componentId: component } : {}),
				...(first && o.version ? { version: o.version } : {})
			});
			const body = { deviceIds, operations: [step(action, true), ...(o.then ?? []).map((a) => step(a, false))], consentMode: o.consent, intent: o.intent };
			const r = await api.request<Created>('POST', '/api/v1/operations', body);
			out.print(r, (v) =>
				[
					`Batch ${v.batchId}: ${v.operations.length} operation${v.operations.length === 1 ? '' : 's'} on ${deviceIds.length} device${deviceIds.length === 1 ? '' : 's'}${v.approval === 'pending' ? ', waiting for an approval in the console' : ''}.`,
					table(v.operations, COLUMNS),
					...v.warnings.map((w) => `warning: ${w.deviceId}: ${w.resultCode} ${w.message}`)
				].join('\n')
			);
		});

	cmd
		.command('list')
		.description('operations newest first, one page (or --all)')
		.option('--device <id>', 'only this device’s')
		.option('--status <status>', `only in this status (${OPERATION_STATUSES.join(', ')})`, oneOf(OPERATION_STATUSES, 'status'))
		.option('--batch <id>', 'only this batch’s')
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor')
		.option('--all', 'every page, following the cursors')
		.action(async (o: { device?: string; status?: string; batch?: string; limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const page = await api.list<OperationView>('/api/v1/operations', { deviceId: o.device, status: o.status, batchId: o.batch, limit: o.limit, cursor: o.cursor }, !!o.all);
			out.print(page, (p) => `${table(p.items, COLUMNS)}\n${pageNote(p.items.length, p.total, p.nextCursor)}`);
		});

	cmd
		.command('show <correlator>')
		.description('one operation: status, download status, SCOMO result')
		.action(async (correlator: string, _o, c) => {
			const { api, out } = ctx(c);
			const op = await api.get<OperationView>(`/api/v1/operations/${encodeURIComponent(correlator)}`);
			out.print(op, (v) => fields({ ...v, createdAt: time(v.createdAt), deliveredAt: time(v.deliveredAt), completedAt: time(v.completedAt), expiresAt: time(v.expiresAt) }));
		});

	cmd
		.command('cancel <correlator>')
		.description('cancel an operation that has not started on its device (result 1462)')
		.action(async (correlator: string, _o, c) => {
			const { api, out } = ctx(c);
			const op = await api.request<OperationView>('POST', `/api/v1/operations/${encodeURIComponent(correlator)}/cancel`);
			out.print(op, (v) => `Operation ${v.correlator}: ${v.status}.`);
		});
};
