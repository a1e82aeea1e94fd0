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
 * - The least role each action needs is one table (NEEDS below): viewer reads; operator also operates
 *   (creates operations, enrollment codes, uploads packages, decides device requests) and approves or
 *   rejects high-risk batches; owner also manages (members, API tokens, keys, settings) and approves or
 *   rejects trust changes (who the devices trust).
 * - API tokens: scope 'read' acts as a viewer, 'operate' as an operator; tokens never manage, approve or
 *   reject (a person with a passkey decides those).
 * - An administrator's own account (passkeys, sessions) belongs to no MA: only its holder manages it.
 * - A device acts only on itself: it reports on itself and on operations sent to it, reads the catalogs of
 *   the MAs it is enrolled with and sends requests to those MAs only.
 */
import { err, ok, type Result } from './result';

export const ROLES = ['viewer', 'operator', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const TOKEN_SCOPES = ['read', 'operate'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const ACTIONS = ['read', 'operate', 'manage', 'approve', 'reject', 'manage-own-account', 'report', 'request'] as const;
export type Action = (typeof ACTIONS)[number];

export const RESOURCE_KINDS = [
	'ma',
	'device',
	'package',
	'operation',
	'batch',
	'trust-change',
	'enrollment-code',
	'device-request',
	'api-token',
	'member',
	'audit',
	'settings',
	'account',
	'group',
	'rollout'
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
export type Resource = {
	kind: ResourceKind;
	id?: string;
	maIds: readonly string[];
	/** An operation: the device it was sent to (a device reports only on its own operations). */
	deviceId?: string;
};

export type Denial = { code: 'not_found' | 'forbidden' | 'unauthenticated'; message: string };

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, owner: 2 };
const SCOPE_RANK: Record<TokenScope, number> = { read: 0, operate: 1 };

/** Actions of administrators and tokens inside an MA. */
type MemberAction = 'read' | 'operate' | 'manage' | 'approve' | 'reject';
const MEMBER_ACTIONS: readonly Action[] = ['read', 'operate', 'manage', 'approve', 'reject'];

/**
 * THE table: the least rank (viewer 0, operator 1, owner 2) each action needs in the MA, and the kinds
 * where it needs more. A trust change decides which keys and passkeys the devices trust: owners only.
 */
export const NEEDS: Record<MemberAction, number> = { read: 0, operate: 1, approve: 1, reject: 1, manage: 2 };
export const NEEDS_ON: Partial<Record<ResourceKind, Partial<Record<MemberAction, number>>>> = {
	'trust-change': { approve: 2, reject: 2 }
};

/** What API tokens may never do, whatever their scope. */
const HUMAN_ONLY: readonly Action[] = ['manage', 'approve', 'reject'];

/** What a device may do with its own resources. */
function deviceMay(actor: Extract<Actor, { type: 'device' }>, action: Action, r: Resource): boolean {
	const enrolledWith = r.maIds.some((m) => actor.maIds.includes(m));
	switch (r.kind) {
		case 'device':
			// Itself only: reports (info, inventory, state changes) and reads; never manages.
			return r.id === actor.id && (action === 'read' || action === 'operate' || action === 'report');
		case 'operation':
			// Results, progress and download tokens of operations sent to this device.
			return r.deviceId === actor.id && (action === 'report' || action === 'read');
		case 'package':
			return action === 'read' && enrolledWith;
		case 'device-request':
			return action === 'request' && enrolledWith;
		default:
			return false;
	}
}

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

	if (actor.type === 'device') return deviceMay(actor, action, resource) ? ok(undefined) : err(notFound(resource));

	if (resource.kind === 'account') {
		// One's own account belongs to no MA; anyone else's does not exist for the asker.
		if (actor.type === 'admin' && action === 'manage-own-account' && resource.id === actor.id) return ok(undefined);
		return err(notFound(resource));
	}

	if (maId === null) return err(notFound(resource));
	const rank = effectiveRank(actor, maId);
	// Not a member of this MA at all: the MA and all it holds do not exist for this actor.
	if (rank === null) return err(notFound(resource));
	// SCOMO-ADC-3: only the MA's own resources (the MA itself is its own resource).
	const belongs = resource.kind === 'ma' ? resource.id === maId : resource.maIds.includes(maId);
	if (!belongs) return err(notFound(resource));
	if (!MEMBER_ACTIONS.includes(action)) return err({ code: 'forbidden', message: `${action} is not something an administrator does on ${resource.kind}` });
	if (actor.type === 'token' && HUMAN_ONLY.includes(action))
		return err({ code: 'forbidden', message: 'API tokens cannot manage members, tokens, keys or settings, nor approve or reject' });
	const needs = NEEDS_ON[resource.kind]?.[action as MemberAction] ?? NEEDS[action as MemberAction];
	if (rank < needs) {
		return err({ code: 'forbidden', message: `your role does not allow ${action} on ${resource.kind}` });
	}
	return ok(undefined);
}

/**
 * The roles allowed `action` on resources of `kind`, read off the same table: e.g. whose passkeys the trust
 * statement lists as approvers (signing/trust.ts), so no other list of roles can drift from it.
 */
export function rolesAllowed(action: Action, kind: ResourceKind): Role[] {
	const probe = 'probe';
	return ROLES.filter((role) => authorize({ type: 'admin', id: probe, memberships: [{ maId: probe, role }] }, probe, action, { kind, maIds: [probe] }).ok);
}
