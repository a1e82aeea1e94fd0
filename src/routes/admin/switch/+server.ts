/** POST (the MA switcher's form): act within another of the administrator's MAs. */
import { error, redirect } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/auth/guard';
import { authorizeResource } from '$lib/server/authz';
import { setCurrentMa } from '$lib/server/auth/http';
import { safeNext } from '$lib/contract/safe-next';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals, url, cookies }) => {
	const { actor } = requireAdmin(locals, url);
	const form = await request.formData();
	const maId = String(form.get('maId') ?? '');
	// The one policy decides (core/policy.ts): reading an MA one is not a member of is not_found (SCOMO-ADC-3).
	const may = authorizeResource(locals.app.store.db, { actor, maId }, 'read', 'ma', maId);
	if (!may.ok) error(404, { message: 'Management Authority not found', code: 'not_found' });
	setCurrentMa(cookies, locals.app.config.origin, maId);
	// Back to the same section, not the same item: an item of the previous MA is not found in this one.
	const section = safeNext(String(form.get('next') ?? ''), url.origin, '/admin').split('/').slice(0, 3).join('/');
	redirect(303, section.startsWith('/admin') ? section : '/admin');
};
