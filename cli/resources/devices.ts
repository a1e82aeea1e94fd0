/** `scomo devices ...`: list (filter, pages), show, rename, tag, untag — GET and PATCH /api/v1/devices. */
import type { DeviceView, InventoryItemView } from '../../src/lib/contract/admin-protocol';
import { intIn, type Resource } from '../context';
import { fields, pageNote, table, time, type Column } from '../output';

const tagText = (t: { key: string; value: string | null }) => (t.value === null ? t.key : `${t.key}=${t.value}`);
const COLUMNS: Column<DeviceView>[] = [
	['id', (d) => d.id],
	['name', (d) => d.name],
	['online', (d) => (d.online ? 'yes' : 'no')],
	['model', (d) => `${d.manufacturer} ${d.model}`.trim()],
	['baseline', (d) => d.baselineBuildId],
	['tags', (d) => d.tags.map(tagText).join(' ')],
	['last seen', (d) => time(d.lastSeenAt)]
];

const path = (id: string) => `/api/v1/devices/${encodeURIComponent(id)}`;

export const devices: Resource = (program, ctx) => {
	const cmd = program.command('devices').description('devices enrolled with the MA of the token');

	cmd
		.command('list')
		.description('devices in name order, one page (or --all), filtered with the device filter language')
		.option('--filter <filter>', 'e.g. "tag == lobby and online == true", or just a name (docs/device-filter.md)')
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor (printed under a page)')
		.option('--all', 'every page, following the cursors')
		.action(async (o: { filter?: string; limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const page = await api.list<DeviceView>('/api/v1/devices', { filter: o.filter, limit: o.limit, cursor: o.cursor }, !!o.all);
			out.print(page, (p) => `${table(p.items, COLUMNS)}\n${pageNote(p.items.length, p.total, p.nextCursor)}`);
		});

	cmd
		.command('show <id>')
		.description('one device with its inventory of this MA’s components')
		.action(async (id: string, _o, c) => {
			const { api, out } = ctx(c);
			const r = await api.get<{ device: DeviceView; inventory: InventoryItemView[] }>(path(id));
			out.print(r, ({ device: d, inventory }) =>
				[
					fields({ id: d.id, name: d.name, notes: d.notes, tags: d.tags.map(tagText).join(' '), manufacturer: d.manufacturer, model: d.model, baseline: d.baselineBuildId, software: d.softwareVersion, online: d.online, 'last seen': time(d.lastSeenAt), enrolled: time(d.enrolledAt) }),
					'',
					inventory.length === 0
						? 'No components of this MA.'
						: table(inventory, [
								['component', (i) => i.componentId],
								['version', (i) => i.version],
								['stage', (i) => i.stage],
								['state', (i) => i.state],
								['operational', (i) => i.operational]
							])
				].join('\n')
			);
		});

	cmd
		.command('rename <id> <name>')
		.description('this MA’s name for the device ("" removes it)')
		.action(async (id: string, name: string, _o, c) => {
			const { api, out } = ctx(c);
			const d = await api.request<DeviceView>('PATCH', path(id), { name });
			out.print(d, (v) => `Renamed ${v.id} to “${v.name}”.`);
		});

	/** Tags are replaced as a set by the API: read, change, write back. */
	const retag = (verb: 'tag' | 'untag') => async (id: string, tags: string[], _o: unknown, c: Parameters<typeof ctx>[0]) => {
		const { api, out } = ctx(c);
		const { device } = await api.get<{ device: DeviceView }>(path(id));
		const now = device.tags.map(tagText);
		const keyOf = (t: string) => t.split('=')[0]!.toLowerCase();
		const drop = new Set(tags.map(keyOf));
		const next = verb === 'tag' ? [...now.filter((t) => !drop.has(keyOf(t))), ...tags] : now.filter((t) => !drop.has(keyOf(t)) && !tags.includes(t));
		const d = await api.request<DeviceView>('PATCH', path(id), { tags: next });
		out.print(d, (v) => `Tags of ${v.id}: ${v.tags.map(tagText).join(' ') || '(none)'}`);
	};
	cmd.command('tag <id> <tags...>').description('add tags (key or key=value; a key given again replaces its value)').action(retag('tag'));
	cmd.command('untag <id> <keys...>').description('remove tags by key').action(retag('untag'));
};
