/**
 * THE server entry point to the authorisation policy (src/lib/core/policy.ts). It gathers the facts the
 * pure policy needs (who asks, in which MA, which MAs own the resource) and turns a denial into an API
 * error. Cross-MA access answers not_found, like a missing resource (SCOMO-ADC-3, SCOMO-SEC-02).
 * Used by the REST routes and by the admin pages.
 */
import { authorize, type Action, type Actor, type Resource, type ResourceKind } from '../core/policy';
import { ok } from '../core';
import { resolveBearer } from './auth/api-tokens';
import * as enrollmentsRepo from './db/repos/enrollments';
import * as pkgs from './db/repos/packages';
import type { OperationRow } from './db/repos/operations';
import * as opsRepo from './db/repos/operations';
import * as codesRepo from './db/repos/enrollment-codes';
import * as reqRepo from './db/repos/device-requests';
import * as devicesRepo from './db/repos/devices';
import * as batchesRepo from './db/repos/batches';
import * as groupsRepo from './db/repos/groups';
import * as rolloutsRepo from './db/repos/rollouts';
import type { Q } from './db/repos/types';
import { fail, type Outcome } from './services/errors';

/** Who is asking and within which MA. */
export type Principal = { actor: Actor; maId: string | null };

/**
 * The principal of a request: a bearer API token if the request carries one (a bad token is refused,
 * never silently downgraded), else whoever the hooks resolved (an administrator's session), else null.
 */
export function principalOf(
	db: Q,
	request: Request,
	locals: { actor: Actor | null; maId: string | null },
	now: number
): Outcome<Principal | null> {
	const header = request.headers.get('authorization');
	if (header) {
		const r = resolveBearer(db, header, now);
		if (!r) return fail('unauthenticated', 'the API token is missing, malformed, unknown or revoked');
		return ok(r);
	}
	if (locals.actor) return ok({ actor: locals.actor, maId: locals.maId });
	return ok(null);
}

/** The MAs a resource belongs to; null when it does not exist at all. */
export function ownersOf(db: Q, kind: ResourceKind, id: string, maId: string | null = null): string[] | null {
	switch (kind) {
		case 'device': {
			const d = devicesRepo.getDevice(db, id);
			if (!d || d.revokedAt !== null) return null;
			return enrollmentsRepo.activeMaIdsOfDevice(db, id);
		}
		case 'package': {
			// Packages are addressed by component ID in the API (unique within the acting MA only), by row ID elsewhere.
			const p = (maId === null ? undefined : pkgs.getPackageOfMa(db, maId, id)) ?? pkgs.getPackage(db, id);
			return p ? [p.maId] : null;
		}
		case 'operation': {
			const o = opsRepo.getOperationByCorrelator(db, id) ?? opsRepo.getOperation(db, id);
			return o ? [o.maId] : null;
		}
		case 'enrollment-code': {
			const c = codesRepo.getEnrollmentCode(db, id);
			return c ? [c.maId] : null;
		}
		case 'device-request': {
			const r = reqRepo.getDeviceRequest(db, id);
			return r ? [r.maId] : null;
		}
		case 'batch': {
			const b = batchesRepo.getBatch(db, id);
			return b ? [b.maId] : null;
		}
		case 'group': {
			const g = groupsRepo.getGroup(db, id);
			return g ? [g.maId] : null;
		}
		case 'rollout': {
			const r = rolloutsRepo.getRollout(db, id);
			return r ? [r.maId] : null;
		}
		case 'ma':
			return [id];
		default:
			return null;
	}
}

function check(p: Principal | null, action: Action, resource: Resource): Outcome<void> {
	const r = authorize(p?.actor ?? null, p?.maId ?? null, action, resource);
	return r.ok ? ok(undefined) : fail(r.error.code, r.error.message);
}

/** May the principal act on one existing resource? Missing and foreign both answer not_found. */
export function authorizeResource(db: Q, p: Principal | null, action: Action, kind: ResourceKind, id: string): Outcome<string> {
	if (!p) return fail('unauthenticated', 'sign in or send an API token');
	const maIds = ownersOf(db, kind, id, p.maId) ?? [];
	const r = check(p, action, { kind, id, maIds });
	return r.ok ? ok(p.maId!) : r;
}

/** May the principal list or create resources of a kind in its MA? Returns the MA it acts within. */
export function authorizeCollection(p: Principal | null, action: Action, kind: ResourceKind): Outcome<string> {
	if (!p) return fail('unauthenticated', 'sign in or send an API token');
	if (!p.maId) return fail('not_found', 'no management authority selected');
	const r = check(p, action, { kind, maIds: [p.maId] });
	return r.ok ? ok(p.maId) : r;
}

/**
 * An administrator managing their own account (passkeys, sessions): it belongs to no MA, and nobody else's
 * account exists for them. Asked of the same policy as everything else.
 */
export function authorizeOwnAccount(p: Principal | null): Outcome<string> {
	if (!p || p.actor.type !== 'admin') return fail('unauthenticated', 'sign in with your passkey first');
	const r = check(p, 'manage-own-account', { kind: 'account', id: p.actor.id, maIds: [] });
	return r.ok ? ok(p.actor.id) : r;
}

/**
 * A device acting on its socket (results, progress, inventory, requests, catalogs, download tokens): the
 * facts are gathered here (its active MAs; an operation's MA and device), the policy decides. Every denial
 * is not_found, so a device cannot tell another device's operation or a foreign MA from a missing one.
 */
export function authorizeDevice(
	db: Q,
	deviceId: string,
	action: Action,
	target:
		| { kind: 'device' }
		/** `op`: the operation as the caller already read it by this correlator (undefined: there is none). */
		| { kind: 'operation'; correlator: string; op?: OperationRow | undefined }
		| { kind: 'package' | 'device-request'; maId: string }
): Outcome<void> {
	const actor: Actor = { type: 'device', id: deviceId, maIds: enrollmentsRepo.activeMaIdsOfDevice(db, deviceId) };
	let resource: Resource;
	if (target.kind === 'device') resource = { kind: 'device', id: deviceId, maIds: actor.maIds };
	else if (target.kind === 'operation') {
		const o = 'op' in target ? target.op : opsRepo.getOperationByCorrelator(db, target.correlator);
		resource = { kind: 'operation', id: target.correlator, maIds: o ? [o.maId] : [], ...(o ? { deviceId: o.deviceId } : {}) };
	} else resource = { kind: target.kind, maIds: [target.maId] };
	return check({ actor, maId: null }, action, resource);
}

/** The audit actor of a principal. */
export const auditActorOf = (p: Principal) => ({ type: p.actor.type, id: p.actor.id }) as const;
