/**
 * A new rollout (issue #17): the form's choices (the MA's components and the consent modes its settings allow)
 * and the `create` action, which hands the definition to the rollouts service as REST's POST /api/v1/rollouts
 * does: the contract's schema and the service's checks (filter, windows, components, schedule) decide, and
 * their issues come back with paths so the page shows each at its field. Created rollouts are drafts. The
 * MA's groups (a capped first page) fill the target's and the group phases' selects.
 */
import { fail, redirect } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf } from '$lib/admin-ui/fleet.server';
import { ERROR_CODES } from '$lib/contract/errors';
import { OPERATION_KINDS } from '$lib/core';
import type { Actions, PageServerLoad } from './$types';

/**
 * The MA's groups for the target and group-phase selects: the first GROUP_CHOICES in name order (a select of
 * more is no help on a phone); `total` tells the page when there are more, so it can say to narrow by filter.
 */
const GROUP_CHOICES = 200;
function groupChoices(app: App.Locals['app'], maId: string) {
	const r = app.services.groups.page(maId, { limit: GROUP_CHOICES });
	if (!r.ok) return { items: [], total: 0 };
	return { items: r.value.items.map((g) => ({ id: g.id, name: g.name, kind: g.kind, memberCount: g.memberCount })), total: r.value.total };
}

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'operate', 'rollout');
	return {
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId),
		kinds: OPERATION_KINDS,
		groups: groupChoices(locals.app, maId),
		now: locals.app.clock()
	};
};

export const actions: Actions = {
	create: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'rollout');
		const form = await request.formData();
		const raw = String(form.get('definition') ?? '');
		let body: unknown;
		try {
			body = JSON.parse(raw);
		} catch {
			return fail(400, { error: 'The form could not be read; reload the page and try again.', issues: [] });
		}
		const r = locals.app.services.rollouts.create(maId, { type: 'admin', id: actor.id }, body);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message, issues: r.error.issues ?? [] });
		redirect(303, `/admin/rollouts/${r.value.id}`);
	}
};
