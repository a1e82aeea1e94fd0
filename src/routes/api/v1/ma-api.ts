/**
 * Shared by every /api/v1 route: the app context, the principal (bearer API token or admin session),
 * and the MA it acts within, authorised by the one policy (src/lib/server/authz.ts).
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Action, ResourceKind } from '$lib/core/policy';
import type { AppContext } from '$lib/server/app-context';
import { auditActorOf, authorizeCollection, authorizeResource, principalOf, type Principal } from '$lib/server/authz';
import { apiRoute, unwrap } from '$lib/server/http';

export type MaRequest = {
	ctx: AppContext;
	principal: Principal;
	maId: string;
	actor: ReturnType<typeof auditActorOf>;
};

function principal(event: RequestEvent) {
	const ctx = event.locals.app;
	const p = unwrap(principalOf(ctx.store.db, event.request, event.locals, ctx.clock()));
	return { ctx, p };
}

/** For listing and creating: may the principal `action` on `kind` in its MA? */
export function forCollection(event: RequestEvent, action: Action, kind: ResourceKind): MaRequest {
	const { ctx, p } = principal(event);
	const maId = unwrap(authorizeCollection(p, action, kind));
	return { ctx, principal: p!, maId, actor: auditActorOf(p!) };
}

/** For one resource: exists and belongs to the principal's MA (else not_found), and the role suffices. */
export function forResource(event: RequestEvent, action: Action, kind: ResourceKind, id: string): MaRequest {
	const { ctx, p } = principal(event);
	const maId = unwrap(authorizeResource(ctx.store.db, p, action, kind, id));
	return { ctx, principal: p!, maId, actor: auditActorOf(p!) };
}

/** apiRoute with the server's logger. */
export const route = <E extends RequestEvent>(fn: (event: E) => Promise<Response> | Response) =>
	apiRoute(fn, (e, event) => {
		const log = event.locals.app?.log;
		if (log) log.error({ err: e }, 'API route failed');
		else console.error(e);
	});
