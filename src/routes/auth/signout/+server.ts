/** POST (a plain form): end this browser's session. */
import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, clearSessionCookie, deleteSessionByToken } from '$lib/server/auth/sessions';
import { auditForEachMa } from '$lib/server/auth/audit-log';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ cookies, locals }) => {
	const ctx = locals.app;
	const token = cookies.get(SESSION_COOKIE);
	if (token) deleteSessionByToken(ctx.store.db, token);
	if (locals.actor?.type === 'admin') {
		auditForEachMa(
			ctx.store.db,
			ctx.clock(),
			locals.actor.memberships.map((m) => m.maId),
			{ actor: { type: 'admin', id: locals.actor.id }, action: 'admin.signout', outcome: 'ok' }
		);
	}
	clearSessionCookie(cookies, ctx.config.origin);
	redirect(303, '/admin/signin?signedout=1');
};
