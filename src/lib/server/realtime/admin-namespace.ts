/**
 * The `/admin` namespace: live updates for the admin console. The handshake carries the session cookie;
 * the one policy decides whether the administrator may read the MA they ask for (else the connection
 * is refused exactly as for a missing MA). Events come from the server's event bus and are routed to
 * rooms per MA, so one emit reaches every console of that MA (no per-socket loops), batched per event-loop turn
 * (admin-batcher.ts).
 */
import type { Namespace, Server } from 'socket.io';
import type { AppContext } from '../app-context';
import { authorize } from '../../core/policy';
import { ADMIN_NAMESPACE, adminRoom, maRoom, type ServerToAdminEvents, type AdminHandshakeAuth } from '../../contract/admin-protocol';
import { SESSION_COOKIE, validateSession } from '../auth/sessions';
import { adminActor } from '../auth/accounts';
import { CURRENT_MA_COOKIE } from '../auth/resolve';
import { activeMaIdsOfDevice } from '../db/repos/enrollments';
import { getSession } from '../db/repos/sessions';
import { sessionStatus } from '../auth/session-policy';
import { AdminBatcher, type PendingLive } from './admin-batcher';

/**
 * How often live consoles are checked against the session store: a console whose session was signed out
 * (or expired), or whose administrator left the MA, is told (session:ended) and disconnected. Checking here
 * keeps that true whichever route ended the session.
 */
export const SESSION_RECHECK_MS = 5_000;

/** Cookie header → name/value map (only the two cookies we read; values are URL-safe). */
function parseCookie(header: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const part of header.split(';')) {
		const i = part.indexOf('=');
		if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
	}
	return out;
}

type AdminSocketData = { adminId: string; maId: string; sessionHash: string };
export type AdminNamespace = Namespace<Record<string, never>, ServerToAdminEvents, Record<string, never>, AdminSocketData>;

export function registerAdminNamespace(io: Server, ctx: AppContext, opts: { recheckMs?: number } = {}): AdminNamespace {
	const nsp = io.of(ADMIN_NAMESPACE) as AdminNamespace;

	nsp.use((socket, next) => {
		try {
			const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
			const token = cookies[SESSION_COOKIE];
			const session = token ? validateSession(ctx.store.db, token, ctx.clock()) : null;
			if (!session) return next(new Error('unauthenticated'));
			const actor = adminActor(ctx.store.db, session.adminId);
			const asked = (socket.handshake.auth as AdminHandshakeAuth | undefined)?.maId;
			// An explicit MA must be one of the administrator's: another MA's id is refused (SCOMO-ADC-3), not
			// swapped for a different MA. The switcher's cookie, like for pages, is only a preference.
			const maId =
				typeof asked === 'string'
					? actor.memberships.find((m) => m.maId === asked)?.maId
					: (actor.memberships.find((m) => m.maId === cookies[CURRENT_MA_COOKIE])?.maId ?? actor.memberships[0]?.maId);
			if (!maId) return next(new Error('not_found'));
			const decision = authorize(actor, maId, 'read', { kind: 'ma', id: maId, maIds: [maId] });
			if (!decision.ok) return next(new Error(decision.error.code));
			socket.data = { adminId: session.adminId, maId, sessionHash: session.idHash };
			next();
		} catch (e) {
			ctx.log.error({ err: e }, 'admin socket authentication failed');
			next(new Error('internal'));
		}
	});

	nsp.on('connection', (socket) => {
		void socket.join([maRoom(socket.data.maId), adminRoom(socket.data.adminId)]);
	});

	const recheck = setInterval(() => {
		if (nsp.sockets.size === 0 || !ctx.store.sqlite.open) return;
		try {
			endStaleConsoles(nsp, ctx);
		} catch (e) {
			ctx.log.error({ err: e }, 'admin console session check failed');
		}
	}, opts.recheckMs ?? SESSION_RECHECK_MS);
	recheck.unref();
	io.engine.on('close', () => clearInterval(recheck));

	// Live events go through the batcher: one `live` message per MA room per turn, built only for rooms with a
	// console on this node (the adapter is in-memory: one node holds every console).
	const batcher = new AdminBatcher({
		listeners: (room) => nsp.adapter.rooms.get(room)?.size ?? 0,
		send: (room, items) => nsp.to(room).emit('live', items),
		onError: (e) => ctx.log.error({ err: e }, 'admin live event failed')
	});
	const toMa = (maId: string, item: PendingLive) => batcher.push(maRoom(maId), item);
	ctx.events.on('operation:updated', (op) => {
		// The view without its MA: the room already is the MA (SCOMO-ADC-3).
		const { maId, ...view } = op;
		toMa(maId, { key: `operation:${op.id}`, build: () => ({ event: 'operation', data: view }) });
	});
	ctx.events.on('device:online', ({ deviceId, maIds }) => {
		for (const maId of maIds) toMa(maId, { build: () => ({ event: 'device:status', data: { deviceId, online: true } }) });
	});
	ctx.events.on('device:offline', ({ deviceId, maIds }) => {
		for (const maId of maIds) toMa(maId, { build: () => ({ event: 'device:status', data: { deviceId, online: false } }) });
	});
	ctx.events.on('inventory:changed', ({ deviceId }) => {
		// Each MA gets its own part of the inventory (SCOMO-ADC-3), whole: consoles apply it instead of reloading.
		// Read when the batch is sent, once per device and turn, and only for MAs with a console open.
		for (const maId of activeMaIdsOfDevice(ctx.store.db, deviceId)) {
			toMa(maId, {
				key: `inventory:${deviceId}`,
				build: () => ({ event: 'inventory:changed', data: { deviceId, inventory: ctx.services.inventory.listForMa(deviceId, maId) } })
			});
		}
	});
	ctx.events.on('operation:progress', ({ maId, ...progress }) => {
		// Progress is a latest-state report: within one turn only the newest of an operation matters.
		toMa(maId, { key: `progress:${progress.id}`, build: () => ({ event: 'operation:progress', data: progress }) });
	});
	ctx.events.on('rollout:updated', ({ maId, rolloutId }) => {
		// Built when the batch is sent: one read per rollout and turn, however many ticks and results changed it.
		toMa(maId, {
			key: `rollout:${rolloutId}`,
			build: () => {
				const data = ctx.services.rollouts.live(maId, rolloutId);
				if (!data) throw new Error(`rollout ${rolloutId} vanished`);
				return { event: 'rollout', data };
			}
		});
	});
	ctx.events.on('device-request:created', ({ maId, request }) => {
		toMa(maId, {
			build: () => ({
				event: 'device-request',
				data: { id: request.id, deviceId: request.deviceId, componentId: request.componentId, kind: request.kind }
			})
		});
	});
	return nsp;
}

/** Consoles whose session ended or whose administrator is no longer a member of the MA are closed. */
function endStaleConsoles(nsp: AdminNamespace, ctx: AppContext): void {
	const now = ctx.clock();
	for (const socket of nsp.sockets.values()) {
		const { sessionHash, adminId, maId } = socket.data;
		const row = getSession(ctx.store.db, sessionHash);
		const alive = row !== undefined && sessionStatus(row, now) === 'valid';
		const member = alive && adminActor(ctx.store.db, adminId).memberships.some((m) => m.maId === maId);
		if (alive && member) continue;
		socket.emit('session:ended', { reason: alive ? 'no longer a member of this Management Authority' : 'signed out' });
		socket.disconnect(true);
	}
}

/** Close every live console of an administrator (sign out everywhere, removed from an MA). */
export function disconnectAdmin(io: Server | null, adminId: string, reason: string): void {
	if (!io) return;
	const nsp = io.of(ADMIN_NAMESPACE);
	nsp.to(adminRoom(adminId)).emit('session:ended', { reason });
	nsp.in(adminRoom(adminId)).disconnectSockets(true);
}
