/**
 * Page loads and form actions of the admin console ask the one policy through the server's entry point
 * (src/lib/server/authz.ts → src/lib/core/policy.ts): who is signed in, in which MA, and may they do
 * this. A denial becomes the HTTP answer the policy implies: 'not_found' (another MA's resource, which
 * must look missing: SCOMO-ADC-3) → 404, 'forbidden' (a role too weak) → 403, 'unauthenticated' → the
 * sign-in page.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Action, Actor, ResourceKind } from '../../core/policy';
import type { ApiError } from '../../contract/errors';
import { authorizeCollection, authorizeOwnAccount, authorizeResource } from '../authz';

type Locals = App.Locals;
type AdminActor = Extract<Actor, { type: 'admin' }>;

export function signinUrl(url: URL): string {
	return `/admin/signin?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The signed-in administrator, or a redirect to the sign-in page. */
export function requireAdmin(locals: Locals, url: URL): { actor: AdminActor; maId: string | null; sessionIdHash: string } {
	if (locals.actor?.type !== 'admin' || !locals.session) redirect(303, signinUrl(url));
	return { actor: locals.actor, maId: locals.maId, sessionIdHash: locals.session.idHash };
}

/**
 * The signed-in administrator managing their own account (passkeys, sessions): the one policy's
 * 'manage-own-account'. Every query that follows is keyed by the returned administrator ID.
 */
export function requireOwnAccount(locals: Locals, url: URL): { actor: AdminActor; adminId: string } {
	const { actor, maId } = requireAdmin(locals, url);
	const r = authorizeOwnAccount({ actor, maId });
	if (!r.ok) deny(r.error, url);
	return { actor, adminId: r.value };
}

function deny(e: ApiError, url: URL): never {
	if (e.code === 'unauthenticated') redirect(303, signinUrl(url));
	error(e.code === 'not_found' ? 404 : 403, { message: e.message, code: e.code });
}

/**
 * The administrator may do `action` on `kind` in their current MA: on the collection (listing, creating),
 * or on one resource when `resourceId` is given (which must exist and belong to the MA, else 404).
 * Throws 404/403 (or redirects to sign in) otherwise.
 */
export function requireAccess(
	locals: Locals,
	url: URL,
	action: Action,
	kind: ResourceKind,
	resourceId?: string
): { actor: AdminActor; maId: string } {
	const { actor, maId } = requireAdmin(locals, url);
	const principal = { actor, maId };
	const r =
		resourceId === undefined
			? authorizeCollection(principal, action, kind)
			: authorizeResource(locals.app.store.db, principal, action, kind, resourceId);
	if (!r.ok) deny(r.error, url);
	return { actor, maId: r.value };
}

/**
 * What the console may show this administrator in the current MA, asked of the same policy (hiding
 * controls is a courtesy; every action is checked again on the server).
 */
export function capabilities(actor: Actor | null, maId: string | null): { read: boolean; operate: boolean; manage: boolean } {
	if (!actor) return { read: false, operate: false, manage: false };
	const p = { actor, maId };
	return {
		read: authorizeCollection(p, 'read', 'device').ok,
		operate: authorizeCollection(p, 'operate', 'operation').ok,
		manage: authorizeCollection(p, 'manage', 'settings').ok
	};
}
