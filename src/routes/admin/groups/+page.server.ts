/**
 * The MA's device groups, one keyset page at a time in name order (cursor in the URL), each with its member
 * count; operators create a static group (members added on its page) or a dynamic one from a filter (checked
 * by the same service as POST /api/v1/groups: a bad filter comes back with its position).
 */
import { fail, redirect } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'group');
	depends('admin:groups');
	const cursor = url.searchParams.get('cursor') ?? undefined;
	const page = locals.app.services.groups.page(maId, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
	if (!page.ok) redirect(303, '/admin/groups');
	return { groups: page.value.items, total: page.value.total, nextCursor: page.value.nextCursor, paged: cursor !== undefined };
};

export const actions: Actions = {
	create: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'group');
		const form = await request.formData();
		const text = (k: string) => String(form.get(k) ?? '');
		const kind = text('kind') === 'dynamic' ? 'dynamic' : 'static';
		const values = { name: text('name'), kind, filter: text('filter'), description: text('description') };
		const r = locals.app.services.groups.create(maId, { type: 'admin', id: actor.id }, {
			name: values.name,
			kind,
			description: values.description,
			...(kind === 'dynamic' ? { filter: values.filter } : {})
		});
		if (!r.ok) {
			const issue = r.error.issues?.[0];
			return fail(r.error.code === 'conflict' ? 409 : 400, {
				values,
				createError: { field: issue?.path ?? null, message: issue?.message ?? r.error.message, position: r.error.position ?? null }
			});
		}
		redirect(303, `/admin/groups/${r.value.id}`);
	}
};
