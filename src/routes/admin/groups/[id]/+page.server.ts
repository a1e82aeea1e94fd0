/**
 * One device group: its devices (pages of 50, as the devices list shows them), and for operators: rename,
 * description, a dynamic group's filter (previewed live), a static group's members added by finding devices
 * (the device filter language; a plain word searches names) and removed one by one, and delete after a
 * confirmation. The same service and rules as /api/v1/groups; another MA's group is 404 (requireAccess).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const FOUND = 20;

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'group', params.id);
	depends('admin:group');
	const { groups, devices } = locals.app.services;
	const group = groups.get(maId, params.id);
	if (!group.ok) error(404, { message: 'Group not found', code: 'not_found' });
	const cursor = url.searchParams.get('cursor') ?? undefined;
	const page = groups.devicesPage(maId, params.id, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
	const find = (url.searchParams.get('find') ?? '').slice(0, 2000);
	let found: { id: string; name: string; model: string; manufacturer: string }[] = [];
	let findError: { message: string; position: number | null } | null = null;
	if (find.trim() && group.value.kind === 'static') {
		const r = devices.page(maId, { filter: find, limit: FOUND });
		if (r.ok) found = r.value.items.map((d) => ({ id: d.id, name: d.name, model: d.model, manufacturer: d.manufacturer }));
		else findError = { message: r.error.issues?.[0]?.message ?? r.error.message, position: r.error.position ?? null };
	}
	const members = page.ok ? page.value.items : [];
	const memberIds = new Set(members.map((d) => d.id));
	return {
		group: group.value,
		devices: members,
		total: page.ok ? page.value.total : 0,
		nextCursor: page.ok ? page.value.nextCursor : null,
		paged: cursor !== undefined,
		find,
		findError,
		// Members not on this page may show as "add": adding them again changes nothing.
		found: found.map((d) => ({ ...d, member: memberIds.has(d.id) })),
		now: locals.app.clock()
	};
};

type Fields = Record<string, string>;
type Refusal = { error: { code: string; message: string; issues?: { path: string; message: string }[]; position?: number } };
const statusOf = (r: Refusal) => (r.error.code === 'not_found' ? 404 : r.error.code === 'conflict' ? 409 : 400);
const problem = (r: Refusal) => ({ field: r.error.issues?.[0]?.path ?? null, message: r.error.issues?.[0]?.message ?? r.error.message, position: r.error.position ?? null });

export const actions: Actions = {
	update: async ({ locals, url, params, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'group', params.id);
		const form = await request.formData();
		const values: Fields = { name: String(form.get('name') ?? ''), description: String(form.get('description') ?? '') };
		if (form.has('filter')) values.filter = String(form.get('filter'));
		const r = locals.app.services.groups.update(maId, { type: 'admin', id: actor.id }, params.id, values);
		return r.ok ? { saved: true } : fail(statusOf(r), { updateError: problem(r), values });
	},
	add: async ({ locals, url, params, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'group', params.id);
		const ids = (await request.formData()).getAll('deviceId').map(String);
		if (ids.length === 0) return fail(400, { membersError: { field: null, message: 'choose a device to add', position: null } });
		const r = locals.app.services.groups.addMembers(maId, { type: 'admin', id: actor.id }, params.id, ids);
		return r.ok ? { added: r.value.changed } : fail(statusOf(r), { membersError: problem(r) });
	},
	remove: async ({ locals, url, params, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'group', params.id);
		const ids = (await request.formData()).getAll('deviceId').map(String);
		const r = locals.app.services.groups.removeMembers(maId, { type: 'admin', id: actor.id }, params.id, ids);
		return r.ok ? { removed: r.value.changed } : fail(statusOf(r), { membersError: problem(r) });
	},
	delete: async ({ locals, url, params }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'group', params.id);
		const r = locals.app.services.groups.remove(maId, { type: 'admin', id: actor.id }, params.id);
		if (!r.ok) return fail(statusOf(r), { deleteError: problem(r) });
		redirect(303, '/admin/groups');
	}
};
