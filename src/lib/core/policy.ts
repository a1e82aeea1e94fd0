/**
 * THE authorisation policy (SCOMO-SEC-02, SCOMO-ADC-3). Every page load, form action, REST route and
 * socket subscription asks this one pure function; the server's entry point (src/lib/server/authz.ts)
 * only gathers the facts it needs.
 *
 * Rules:
 * - Everything happens inside one MA (the administrator's current MA, or the token's MA). A resource is
 *   visible only if it belongs to that MA (a device: if it is enrolled with that MA).
 * - A resource of another MA is reported exactly like a missing one: 'not_found'. Only when the resource
 *   is visible but the role is too weak is the answer 'forbidden'.
 * - Roles: viewer reads; operator also operates (creates operations, enrollment codes, uploads packages,
 *   decides device requests); owner also manages (members, API tokens, keys, settings).
 * - API tokens: scope 'read' acts as a viewer, 'operate' as an operator; tokens never manage.
 * - A device acts only on itself and reads the catalogs of the MAs it is enrolled with.
 */
import { err, ok, type Result } from './result';

export const ROLES = ['viewer', 'operator', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const TOKEN_SCOPES = ['read', 'operate'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const ACTIONS = ['read', 'operate', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export const RESOURCE_KINDS = [
	'ma',
	'device',
	'package',
	'operation',
	'enrollment-code',
	'device-request',
	'api-token',
	'member',
	'audit',
	'settings'
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export type Actor =
	| { type: 'admin'; id: string; memberships: readonly { maId: string; role: Role }[] }
	| { type: 'token'; id: string; maId: string; scope: TokenScope }
	| { type: 'device'; id: string; maIds: readonly string[] };

/**
 * What is being accessed. `maIds` are the MAs the resource belongs to: one for packages, operations and
 * the like; every MA it is enrolled with for a device. `null` resource = a collection of the MA (listing,
 * creating).
 */
export type Resource = { kind: ResourceKind; id?: string; maIds: readonly string[] };

export type Denial = { code: 'not_found' | 'forbidden' | 'unauthenticated'; message: string };

const RANK: Record<Action, number> = { read: 0, operate: 1, manage: 2 };
const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, owner: 2 };
const SCOPE_RANK: Record<TokenScope, number> = { read: 0, operate: 1 };

/** The role an actor holds in an MA, or null when it has none there. Tokens map to viewer/operator. */
export function effectiveRank(actor: Actor, maId: string): number | null {
	switch (actor.type) {
		case 'admin': {
			const m = actor.memberships.find((x) => x.maId === maId);
			return m ? ROLE_RANK[m.role] : null;
		}
		case 'token':
			return actor.maId === maId ? SCOPE_RANK[actor.scope] : null;
		case 'device':
			return null;
	}
}

const notFound = (r: Resource): Denial => ({ code: 'not_found', message: `${r.kind} not found` });

/**
 * May `actor`, acting within MA `maId`, perform `action` on `resource`?
 * Cross-MA access is 'not_found', never 'forbidden', so existence does not leak (ADC-3).
 */
export function authorize(actor: Actor | null, maId: string | null, action: Action, resource: Resource): Result<void, Denial> {
	if (actor === null) return err({ code: 'unauthenticated', message: 'sign in first' });

	if (actor.type === 'device') {
		// A device reads the catalogs (packages) of its MAs and acts on itself only.
		if (resource.kind === 'device' && resource.id === actor.id && action !== 'manage') return ok(undefined);
		if (resource.kind === 'package' && action === 'read' && resource.maIds.some((m) => actor.maIds.includes(m)))
			return ok(undefined);
		return err(notFound(resource));
	}

	if (maId === null) return err(notFound(resource));
	const rank = effectiveRank(actor, maId);
	// Not a member of this MA at all: the MA and all it holds do not exist for this actor.
	if (rank === null) return err(notFound(resource));
	// SCOMO-ADC-3: only the MA's own resources (the MA itself is its own resource).
	const belongs = resource.kind === 'ma' ? resource.id === maId : resource.maIds.includes(maId);
	if (!belongs) return err(notFound(resource));
	if (actor.type === 'token' && action === 'manage')
		return err({ code: 'forbidden', message: 'API tokens cannot manage members, tokens, keys or settings' });
	if (rank < RANK[action]) {
		return err({ code: 'forbidden', message: `your role does not allow ${action} on ${resource.kind}` });
	}
	return ok(undefined);
}
