/**
 * The live admin channel (socket.io namespace /admin) against the real server process: the handshake is
 * authenticated by the administrator's session cookie; each console joins its MA's room and receives only
 * that MA's events (SCOMO-ADC-3). No cookie, a dead cookie, or another MA's id is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROJECT_ROOT, startServerProcess, type ServerProcess } from '../support/server-process';
import { cookieHeader, ownerFromSetupLink, type Jar } from '../support/admin-http';
import { TestDevice } from '../support/test-device';
import { unpackAdminMessage } from '../support/admin-live';
import { ADMIN_NAMESPACE, type ServerToAdminEvents } from '../../src/lib/contract/admin-protocol';

type Received = { event: string; payload: unknown }[];

let s: ServerProcess;
const sockets: Socket[] = [];
const devices: TestDevice[] = [];

function setupPath(): string {
	const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/setup-link.ts', '--json'], {
		cwd: PROJECT_ROOT,
		env: { PATH: process.env.PATH ?? '', SCOMO_DATA_DIR: s.dataDir, SCOMO_LOG_LEVEL: 'silent' },
		encoding: 'utf8'
	});
	return (JSON.parse(out.trim().split('\n').pop()!) as { path: string }).path;
}

/**
 * Connects to /admin; resolves with the socket, every event it receives (a `live` batch unpacked into its
 * items) and the socket.io messages as they came (a batch: its items, in order), or rejects with the refusal.
 */
function connectAdmin(
	cookie: string | null,
	auth: { maId?: string } = {}
): Promise<{ socket: Socket<ServerToAdminEvents>; received: Received; messages: Received[] }> {
	const socket: Socket<ServerToAdminEvents> = io(`${s.url}${ADMIN_NAMESPACE}`, {
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		auth,
		...(cookie ? { extraHeaders: { cookie, origin: s.url } } : {})
	});
	sockets.push(socket);
	const received: Received = [];
	const messages: Received[] = [];
	socket.onAny((event: string, payload: unknown) => {
		const events = unpackAdminMessage(event, payload);
		messages.push(events);
		received.push(...events);
	});
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve({ socket, received, messages }));
		socket.once('connect_error', (e) => reject(e));
	});
}

/** Resolves once `received` holds an event matching `match` (bounded wait, no sleeping). */
async function waitFor(socket: Socket, received: Received, match: (e: Received[number]) => boolean, what: string) {
	const found = () => received.find(match);
	if (found()) return found()!;
	return new Promise<Received[number]>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${what}; got ${JSON.stringify(received)}`)), 10_000);
		const check = () => {
			const f = found();
			if (!f) return;
			clearTimeout(timer);
			socket.offAny(check);
			resolve(f);
		};
		socket.onAny(check);
	});
}

async function postJson(pathName: string, body: unknown, jar: Jar) {
	const res = await fetch(`${s.url}${pathName}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: s.url, cookie: cookieHeader(jar) },
		body: JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An enrollment code of the jar's MA, used by a new protocol-level test device: returns the device and MA id. */
async function enrolledDevice(jar: Jar): Promise<{ device: TestDevice; maId: string }> {
	const code = await postJson('/api/v1/enrollment-codes', { label: 'socket test' }, jar);
	expect(code.status).toBe(201);
	const device = new TestDevice(s.url);
	devices.push(device);
	const enrolled = await device.enroll(String(code.body.code));
	expect(enrolled.status).toBe(201);
	return { device, maId: enrolled.body.ma.id };
}

let jarA: Jar;
let jarB: Jar;

beforeAll(async () => {
	s = await startServerProcess();
	await s.waitForOutput(/setup link/);
	const first = readFileSync(path.join(s.dataDir, 'setup-link.txt'), 'utf8').trim();
	({ jar: jarA } = await ownerFromSetupLink(s.url, new URL(first).pathname + new URL(first).search, 'MA A'));
	({ jar: jarB } = await ownerFromSetupLink(s.url, setupPath(), 'MA B'));
});

afterAll(async () => {
	for (const x of sockets) x.disconnect();
	for (const d of devices) d.close();
	await s?.kill();
});

describe('/admin namespace', () => {
	it('refuses a handshake without a session cookie, or with a dead one', async () => {
		await expect(connectAdmin(null)).rejects.toThrow('unauthenticated');
		await expect(connectAdmin(`scomo_session=${'x'.repeat(43)}`)).rejects.toThrow('unauthenticated');
	});

	it('each console receives only its own MA’s events; asking for another MA’s id is refused', async () => {
		const a = await enrolledDevice(jarA);
		const b = await enrolledDevice(jarB);
		expect(a.maId).not.toBe(b.maId);

		// Owner A may not listen to MA B, even by naming it (looks exactly like a missing MA).
		await expect(connectAdmin(cookieHeader(jarA), { maId: b.maId })).rejects.toThrow('not_found');
		await expect(connectAdmin(cookieHeader(jarB), { maId: a.maId })).rejects.toThrow('not_found');
		await expect(connectAdmin(cookieHeader(jarA), { maId: 'not-an-ma' })).rejects.toThrow('not_found');

		const consoleA = await connectAdmin(cookieHeader(jarA), { maId: a.maId });
		const consoleB = await connectAdmin(cookieHeader(jarB)); // no maId: the administrator's (only) MA

		// MA A's device comes online and gets an operation: console A sees both, live.
		expect((await a.device.connect()).ok).toBe(true);
		await waitFor(consoleA.socket, consoleA.received, (e) => e.event === 'device:status' && (e.payload as { deviceId: string }).deviceId === a.device.deviceId, 'device:status for A');
		const op = await postJson('/api/v1/operations', { deviceIds: [a.device.deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'confirm', intent: 'check' }, jarA);
		expect(op.status).toBe(202);
		const correlator = (op.body.operations as { correlator: string }[])[0]!.correlator;
		const seen = await waitFor(consoleA.socket, consoleA.received, (e) => e.event === 'operation' && (e.payload as { correlator: string }).correlator === correlator, 'operation for A');
		expect(seen.payload).toMatchObject({ correlator, kind: 'Inventory', deviceId: a.device.deviceId, intent: 'check', resultCode: null });

		// Then MA B's own device comes online. Events to one socket arrive in order, so if anything of MA A had
		// been sent to console B, it would already be there.
		expect((await b.device.connect()).ok).toBe(true);
		await waitFor(consoleB.socket, consoleB.received, (e) => e.event === 'device:status' && (e.payload as { deviceId: string }).deviceId === b.device.deviceId, 'device:status for B');
		const foreign = consoleB.received.filter((e) => JSON.stringify(e.payload).includes(a.device.deviceId!));
		expect(foreign).toEqual([]);
		expect(consoleA.received.filter((e) => JSON.stringify(e.payload).includes(b.device.deviceId!))).toEqual([]);
	});

	it('live updates of one turn arrive as one message; a console of another MA gets nothing of them', async () => {
		const a = await enrolledDevice(jarA);
		const consoleA = await connectAdmin(cookieHeader(jarA), { maId: a.maId });
		const consoleB = await connectAdmin(cookieHeader(jarB));
		// Three operations created by one request are announced in one turn: one `live` message carries them all.
		const op = await postJson(
			'/api/v1/operations',
			{ deviceIds: [a.device.deviceId], operations: [{ kind: 'Inventory' }, { kind: 'Inventory' }, { kind: 'Inventory' }], consentMode: 'confirm', intent: 'batched' },
			jarA
		);
		expect(op.status).toBe(202);
		const correlators = (op.body.operations as { correlator: string }[]).map((o) => o.correlator);
		expect(correlators).toHaveLength(3);
		const isOurs = (e: Received[number]) => e.event === 'operation' && correlators.includes((e.payload as { correlator: string }).correlator);
		await waitFor(consoleA.socket, consoleA.received, isOurs, 'operations for A');
		const batch = consoleA.messages.find((m) => m.some(isOurs))!;
		expect(batch.filter(isOurs).map((e) => (e.payload as { correlator: string }).correlator)).toEqual(correlators);
		expect(batch.filter(isOurs).map((e) => (e.payload as { status: string }).status)).toEqual(['queued', 'queued', 'queued']);

		// A change of MA B after it: once console B sees that, anything of MA A sent to it would already be there.
		const b = await enrolledDevice(jarB);
		expect((await b.device.connect()).ok).toBe(true);
		await waitFor(consoleB.socket, consoleB.received, (e) => e.event === 'device:status' && (e.payload as { deviceId: string }).deviceId === b.device.deviceId, 'device:status for B');
		expect(consoleB.received.filter((e) => JSON.stringify(e.payload).includes(a.device.deviceId!))).toEqual([]);
	}, 60_000);

	it('signing out ends the live console: session:ended, then disconnected', async () => {
		const { socket, received } = await connectAdmin(cookieHeader(jarB));
		// The namespace re-checks live consoles against the session store every few seconds.
		const closed = new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('the console was not disconnected')), 30_000);
			socket.once('disconnect', (reason) => {
				clearTimeout(timer);
				resolve(reason);
			});
		});
		const res = await fetch(`${s.url}/auth/signout`, {
			method: 'POST',
			headers: { cookie: cookieHeader(jarB), origin: s.url, 'content-type': 'application/x-www-form-urlencoded' },
			redirect: 'manual'
		});
		expect(res.status).toBe(303);
		expect(await closed).toBe('io server disconnect');
		expect(received.map((e) => e.event)).toContain('session:ended');
		await expect(connectAdmin(cookieHeader(jarB))).rejects.toThrow('unauthenticated');
	});
});
