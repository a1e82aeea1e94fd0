/**
 * `scomo groups ...`: list, show, create (static or dynamic), update, delete, add and remove members, and the
 * devices a group holds now — /api/v1/groups. A group is named by its ID or by its name (unique in the MA
 * ignoring case), so scripts can say `groups devices Lobby`.
 */
import type { DeviceView } from '../../src/lib/contract/admin-protocol';
import type { RestClient } from '../client';
import { intIn, usage, type Resource } from '../context';
import { fields, pageNote, table, time, type Column } from '../output';

export type GroupView = {
	id: string;
	name: string;
	kind: 'static' | 'dynamic';
	filter: string | null;
	description: string;
	memberCount: number;
	filterError: string | null;
	createdBy: string;
	createdAt: number;
	updatedAt: number;
};

const COLUMNS: Column<GroupView>[] = [
	['id', (g) => g.id],
	['name', (g) => g.name],
	['kind', (g) => g.kind],
	['devices', (g) => g.memberCount],
	['filter', (g) => (g.filterError ? `${g.filter} (${g.filterError})` : g.filter)]
];
const DEVICE_COLUMNS: Column<DeviceView>[] = [
	['id', (d) => d.id],
	['name', (d) => d.name],
	['online', (d) => (d.online ? 'yes' : 'no')],
	['last seen', (d) => time(d.lastSeenAt)]
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const path = (id: string) => `/api/v1/groups/${encodeURIComponent(id)}`;
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** A group's ID from its ID or its name; a name no group has is a usage error (the API would say not_found). */
export async function groupId(api: RestClient, ref: string): Promise<string> {
	if (UUID.test(ref)) return ref;
	const all = await api.list<GroupView>('/api/v1/groups', { limit: 1000 }, true);
	const hit = all.items.find((g) => g.name.toLowerCase() === ref.toLowerCase());
	if (!hit) throw usage(`no group named “${ref}”`);
	return hit.id;
}

const show = (g: GroupView) => fields({ ...g, createdAt: time(g.createdAt), updatedAt: time(g.updatedAt) });

export const groups: Resource = (program, ctx) => {
	const cmd = program.command('groups').description('device groups of the MA of the token (static lists, or dynamic by filter)');

	cmd
		.command('list')
		.description('groups with their device counts, one page (or --all)')
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor')
		.option('--all', 'every page, following the cursors')
		.action(async (o: { limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const page = await api.list<GroupView>('/api/v1/groups', { limit: o.limit, cursor: o.cursor }, !!o.all);
			out.print(page, (p) => `${table(p.items, COLUMNS)}\n${pageNote(p.items.length, p.total, p.nextCursor)}`);
		});

	cmd
		.command('show <group>')
		.description('one group (ID or name)')
		.action(async (ref: string, _o, c) => {
			const { api, out } = ctx(c);
			out.print(await api.get<GroupView>(path(await groupId(api, ref))), show);
		});

	cmd
		.command('create <name>')
		.description('a static group (--static, members with --device) or a dynamic one (--filter)')
		.option('--static', 'a list of devices')
		.option('--filter <filter>', 'a dynamic group: every device this filter matches, now and later')
		.option('--device <id>', 'a static group’s first member (repeat for more)', collect)
		.option('--description <text>', 'what the group is for')
		.action(async (name: string, o: { static?: boolean; filter?: string; device?: string[]; description?: string }, c) => {
			const { api, out } = ctx(c);
			if (!!o.static === (o.filter !== undefined)) throw usage('say --static or --filter F (one of them)');
			if (o.filter !== undefined && o.device?.length) throw usage('a dynamic group takes no --device: its filter chooses');
			const body = o.static
				? { name, kind: 'static', ...(o.device?.length ? { deviceIds: o.device } : {}), ...(o.description ? { description: o.description } : {}) }
				: { name, kind: 'dynamic', filter: o.filter, ...(o.description ? { description: o.description } : {}) };
			const g = await api.request<GroupView>('POST', '/api/v1/groups', body);
			out.print(g, (v) => `Group ${v.name} (${v.kind}, ${v.memberCount} device${v.memberCount === 1 ? '' : 's'}): ${v.id}`);
		});

	cmd
		.command('update <group>')
		.description('rename a group, or change its filter (dynamic) or description')
		.option('--name <name>', 'the new name')
		.option('--filter <filter>', 'the new filter (dynamic groups)')
		.option('--description <text>', 'the new description')
		.action(async (ref: string, o: { name?: string; filter?: string; description?: string }, c) => {
			const { api, out } = ctx(c);
			if (o.name === undefined && o.filter === undefined && o.description === undefined) throw usage('nothing to change: --name, --filter or --description');
			const g = await api.request<GroupView>('PATCH', path(await groupId(api, ref)), o);
			out.print(g, show);
		});

	cmd
		.command('delete <group>')
		.description('delete a group (its devices stay)')
		.action(async (ref: string, _o, c) => {
			const { api, out } = ctx(c);
			const id = await groupId(api, ref);
			await api.request('DELETE', path(id));
			out.print({ id, deleted: true }, () => `Group ${id} deleted.`);
		});

	for (const [name, method, verb] of [
		['add', 'POST', 'joined'],
		['remove', 'DELETE', 'left']
	] as const) {
		cmd
			.command(`${name} <group> <deviceIds...>`)
			.description(name === 'add' ? 'add devices to a static group' : 'take devices out of a static group')
			.action(async (ref: string, deviceIds: string[], _o, c) => {
				const { api, out } = ctx(c);
				const r = await api.request<{ group: GroupView; changed: number }>(method, `${path(await groupId(api, ref))}/members`, { deviceIds });
				out.print(r, (v) => `${v.changed} device${v.changed === 1 ? '' : 's'} ${verb} ${v.group.name}; it has ${v.group.memberCount} now.`);
			});
	}

	cmd
		.command('devices <group>')
		.description('the devices of a group now (a dynamic group’s filter matches them now), one page (or --all)')
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor')
		.option('--all', 'every page, following the cursors')
		.action(async (ref: string, o: { limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const page = await api.list<DeviceView>(`${path(await groupId(api, ref))}/devices`, { limit: o.limit, cursor: o.cursor }, !!o.all);
			out.print(page, (p) => `${table(p.items, DEVICE_COLUMNS)}\n${pageNote(p.items.length, p.total, p.nextCursor)}`);
		});
};
