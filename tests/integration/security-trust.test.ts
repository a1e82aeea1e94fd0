/**
 * Issue #13, attacked as an attacker would, against the REAL server (in this process, random port, real
 * SQLite) and the REAL headless agent:
 *
 * - H1: rows written straight into the server's SQLite file (highRiskKinds = [], the owner's passkey rows
 *   deleted, a rogue owner passkey inserted) do not make the agent run a Remove without approval, and a
 *   server that goes further and signs the weakened statement with the MA key is refused by the agent;
 *   a change an owner co-signs with a trusted passkey is taken.
 * - H2: a replayed session cookie alone (no authenticator) cannot add a passkey, join with an approving
 *   role, promote a member or approve a batch its owner created (four eyes); the same actions with the
 *   administrator's real (software) authenticator work, and a new approver counts only once an owner
 *   co-signs it for the devices.
 * - LOW: a database restored from a backup continues the trust sequence above the agent's; key rotation
 *   refuses an overlap below one day.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startTestServer, type TestServer } from '../support/test-server';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { cookieHeader, ownerFromSetupLink, postJson, registerOverHttp, signInOverHttp, storeCookies, type Jar } from '../support/admin-http';
import { createApiToken } from '../../src/lib/server/auth/api-tokens';
import { issueSetupToken, setupPath } from '../../src/lib/server/auth/first-run';
import { TestDevice } from '../support/test-device';
import type { ApiClient } from '../support/api-client';
import { createInvitation } from '../../src/lib/server/auth/invitations';
import { trustMessage, type SignedTrust } from '../../src/lib/core/envelope';
import { adminCredentialOf } from '../../src/lib/server/signing/trust';

const CLOCK = 'com.example.clock';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const terminal = (s: string) => ['completed', 'failed', 'expired', 'cancelled'].includes(s);

let server: TestServer;
let owner: { auth: SoftAuthenticator; jar: Jar };
let ownerId: string;
let maId: string;
let api: ApiClient;
let agent: AgentProcess;
let deviceId: string;
/** The attacker's own connection to the server's database file. */
let attackerDb: Database.Database;

const signing = () => server.ctx.services.signing;
const q = <T>(sql: string, ...args: unknown[]) => server.ctx.store.sqlite.prepare(sql).get(...args) as T;

async function json(res: Response) {
	return (await res.json().catch(() => ({}))) as Record<string, unknown> & { error?: { code: string; message: string } };
}

/** A same-origin form POST with only the cookies in `jar` (what a browser sends; a thief replays it). */
async function form(p: string, fields: Record<string, string>, jar: Jar) {
	const res = await fetch(`${server.url}${p}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookieHeader(jar) },
		body: new URLSearchParams(fields).toString(),
		redirect: 'manual'
	});
	storeCookies(jar, res);
	// SvelteKit answers an enhanced action with { type, status, data } (data serialised with devalue).
	const body = (await res.json()) as { type: string; status?: number; data?: string; location?: string };
	return { type: body.type, status: body.status, text: body.data ?? '', location: body.location };
}

/** A fresh step-up assertion of `auth`'s first passkey for `action` (what confirmWithPasskey does in the page). */
async function stepUp(jar: Jar, auth: SoftAuthenticator, action: string) {
	const res = await postJson(server.url, '/auth/step-up/options', { action }, jar);
	expect(res.status).toBe(200);
	return auth.assert((await res.json()) as never);
}

/** The owner approves the pending trust change with their passkey, over HTTP as the Approvals page does. */
async function ownerApprovesTrustChange() {
	const options = await postJson(server.url, '/auth/trust-assertion/options', {}, owner.jar);
	expect(options.status).toBe(200);
	const response = owner.auth.assert((await options.json()) as never);
	const done = await postJson(server.url, '/auth/trust-assertion/verify', { response }, owner.jar);
	expect(done.status).toBe(200);
	return json(done);
}

async function runInventory() {
	const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: 'check' });
	expect(created.status).toBe(202);
	return api.waitForOperation(created.body.operations[0]!.correlator, (o) => terminal(o.status));
}

/** A new administrator with their own software passkey, joined through an invitation with `role`. */
async function invited(role: 'operator' | 'viewer', name: string) {
	const { token } = createInvitation(server.ctx.store.db, { maId, role, createdBy: ownerId }, Date.now());
	const auth = new SoftAuthenticator(server.url);
	const jar: Jar = new Map();
	const res = await registerOverHttp(server.url, { kind: 'invite', token, displayName: name }, auth, jar);
	expect(res.status).toBe(200);
	const adminId = q<{ id: string }>('select id from administrators where display_name = ?', name).id;
	return { auth, jar, adminId, credentialId: b64u(auth.credentials[0]!.id) };
}

beforeAll(async () => {
	server = await startTestServer();
	// A setup link as `npm run setup-link` makes one (in process: a blocking CLI run stalls this server's
	// event loop and lets kept-alive connections go stale); the owner registers their passkey through it.
	owner = await ownerFromSetupLink(server.url, setupPath(issueSetupToken(server.ctx.store.db, Date.now()).token), 'Acme');
	({ maId, adminId: ownerId } = q<{ maId: string; adminId: string }>('select ma_id as maId, admin_id as adminId from memberships'));
	api = server.api(createApiToken(server.ctx.store.db, { maId, scope: 'operate', name: 'test' }, Date.now()).token);
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	agent = startAgent({ server: server.url, enroll: (await api.createEnrollmentCode()).body.code, consent: { default: 'accept' } });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	const installed = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'DownloadInstall', componentId: CLOCK }] });
	expect(await api.waitForOperation(installed.body.operations[0]!.correlator, (o) => terminal(o.status))).toMatchObject({ resultCode: 1200 });
	// The agent pinned the owner's passkey as the MA's only approver.
	expect(agent.identity().mas[0]!.trust!.credentials.map((c) => c.credentialId)).toEqual([b64u(owner.auth.credentials[0]!.id)]);
	attackerDb = new Database(path.join(server.dataDir, 'scomo.db'));
});

afterAll(async () => {
	attackerDb?.close();
	await agent?.kill();
	await server?.close();
});

describe('H2: a replayed session cookie cannot widen who approves', () => {
	it('adding a passkey needs a fresh assertion of one of my passkeys; the new one approves nothing until an owner co-signs it', async () => {
		const stolen: Jar = new Map(owner.jar);
		const replay = await postJson(server.url, '/auth/register/options', { kind: 'add', passkeyName: 'thief' }, stolen);
		expect(replay.status).toBe(403);
		expect((await json(replay)).error).toMatchObject({ code: 'step_up_required', message: expect.stringContaining('session alone is not enough') });
		// A step-up asked for another action does not do either.
		const other = await stepUp(owner.jar, owner.auth, 'member.promote');
		const misused = await postJson(server.url, '/auth/register/options', { kind: 'add', passkeyName: 'x', stepUp: other }, owner.jar);
		expect((await json(misused)).error?.code).toBe('step_up_required');
		expect(q<{ n: number }>('select count(*) as n from passkeys').n).toBe(1);

		// The owner, with the authenticator: confirms, then registers a second passkey.
		const confirmed = await stepUp(owner.jar, owner.auth, 'passkey.add');
		const options = await postJson(server.url, '/auth/register/options', { kind: 'add', passkeyName: 'Second key', stepUp: confirmed }, owner.jar);
		expect(options.status).toBe(200);
		const registered = owner.auth.register((await options.json()) as never);
		expect((await postJson(server.url, '/auth/register/verify', { response: registered, passkeyName: 'Second key' }, owner.jar)).status).toBe(200);
		// Not yet an approver: the statement still certifies only the first passkey; the owners are told.
		expect(signing().trust.current(maId).statement.credentials.map((c) => c.credentialId)).toEqual([b64u(owner.auth.credentials[0]!.id)]);
		expect(signing().trustChanges.pending(maId)?.added.map((c) => c.passkeyName)).toEqual(['Second key']);
		const page = await fetch(`${server.url}/admin`, { headers: { cookie: cookieHeader(owner.jar) } });
		expect(await page.text()).toContain('data-testid="trust-notice"');
		expect(q<{ n: number }>(`select count(*) as n from audit_events where action = 'passkey.add'`).n).toBe(2);
	});

	it('joining with an approving role and promoting a member need a fresh assertion; the cookie alone is refused', async () => {
		// Vera has an account and her own passkey but no role here yet; a thief holds her session cookie.
		const vera = new SoftAuthenticator(server.url);
		const veraJar: Jar = new Map();
		const setup = await registerOverHttp(server.url, { kind: 'invite', token: createInvitation(server.ctx.store.db, { maId, role: 'viewer', createdBy: ownerId }, Date.now()).token, displayName: 'Vera' }, vera, veraJar);
		expect(setup.status).toBe(200);
		const veraId = q<{ id: string }>(`select id from administrators where display_name = 'Vera'`).id;
		server.ctx.store.sqlite.prepare('delete from memberships where admin_id = ?').run(veraId);
		const { token } = createInvitation(server.ctx.store.db, { maId, role: 'operator', createdBy: ownerId }, Date.now());
		const stolenVera: Jar = new Map(veraJar);
		const joined = await form(`/invite/${token}?/join`, {}, stolenVera);
		expect(joined).toMatchObject({ type: 'failure', status: 403 });
		expect(joined.text).toContain('session alone is not enough');
		expect(q<{ n: number }>('select count(*) as n from memberships where admin_id = ?', veraId).n).toBe(0);
		// Vera herself, confirming with her passkey: joins as operator.
		const ok = await form(`/invite/${token}?/join`, { stepUp: JSON.stringify(await stepUp(veraJar, vera, 'invitation.accept')) }, veraJar);
		expect(ok).toMatchObject({ type: 'redirect', location: '/admin' });
		expect(q<{ role: string }>('select role from memberships where admin_id = ?', veraId).role).toBe('operator');

		// Victor is a viewer; the owner's stolen cookie cannot make him an operator.
		const victor = await invited('viewer', 'Victor');
		const stolen: Jar = new Map(owner.jar);
		const promoted = await form('/admin/members?/role', { adminId: victor.adminId, role: 'operator' }, stolen);
		expect(promoted).toMatchObject({ type: 'failure', status: 403 });
		expect(promoted.text).toContain('step_up_required');
		expect(q<{ role: string }>('select role from memberships where admin_id = ?', victor.adminId).role).toBe('viewer');
		// Demoting needs no step-up (it takes power away); promoting with the owner's passkey works.
		const promotedOk = await form('/admin/members?/role', { adminId: victor.adminId, role: 'operator', stepUp: JSON.stringify(await stepUp(owner.jar, owner.auth, 'member.promote')) }, owner.jar);
		expect(promotedOk).toMatchObject({ type: 'success' });
		expect(q<{ role: string }>('select role from memberships where admin_id = ?', victor.adminId).role).toBe('operator');
		expect(q<{ n: number }>(`select count(*) as n from audit_events where action = 'member.role' and outcome = 'denied'`).n).toBe(1);
	});

	it('four eyes: the owner cannot approve the fan-out they created, cookie or authenticator; a co-signed operator can', async () => {
		const second = new TestDevice(server.url);
		expect((await second.enroll((await api.createEnrollmentCode()).body.code)).status).toBe(201);
		server.ctx.services.mas.updateSettings(maId, { type: 'system', id: 'test' }, { highRiskFanout: 1 });
		signing().trust.invalidate(maId);
		const created = server.ctx.services.operations.create(maId, { type: 'admin', id: ownerId }, { deviceIds: [deviceId, second.deviceId!], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: 'fan-out' });
		if (!created.ok) throw new Error(created.error.message);
		expect(created.value.approval).toBe('pending');
		const batchId = created.value.batchId;

		const stolen: Jar = new Map(owner.jar);
		const replay = await postJson(server.url, '/auth/operation-assertion/options', { batchId }, stolen);
		expect(replay.status).toBe(403);
		expect((await json(replay)).error?.code).toBe('four_eyes_required');
		// Without an authenticator a cookie can only send a made-up assertion: refused.
		const fake = new SoftAuthenticator(server.url);
		fake.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
		const forged = await postJson(server.url, '/auth/operation-assertion/verify', { batchId, response: fake.assert({ challenge: b64u(randomBytes(32)) }) }, stolen);
		expect(forged.status).toBe(403);

		// Vera (operator) is not an approver the devices trust yet.
		const olaf = await invited('operator', 'Olaf');
		const notYet = await postJson(server.url, '/auth/operation-assertion/options', { batchId }, olaf.jar);
		expect((await json(notYet)).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('trust yet') });
		// The owner co-signs the change (second key, Vera, Victor, Olaf); now Olaf approves, and it runs.
		expect(await ownerApprovesTrustChange()).toMatchObject({ ok: true, epoch: 1 });
		const options = await postJson(server.url, '/auth/operation-assertion/options', { batchId }, olaf.jar);
		expect(options.status).toBe(200);
		const approved = await postJson(server.url, '/auth/operation-assertion/verify', { batchId, response: olaf.auth.assert((await options.json()) as never) }, olaf.jar);
		expect(approved.status).toBe(200);
		const correlator = created.value.operations.find((o) => o.deviceId === deviceId)!.correlator;
		expect(await api.waitForOperation(correlator, (o) => terminal(o.status))).toMatchObject({ resultCode: 1200 });
		// The agent took the co-signed statement with the batch, and with it the new approvers.
		const pinned = agent.identity().mas[0]!.trust!;
		expect(pinned).toMatchObject({ epoch: 1 });
		expect(pinned.credentials.map((c) => c.credentialId)).toContain(olaf.credentialId);
		server.ctx.services.mas.updateSettings(maId, { type: 'system', id: 'test' }, { highRiskFanout: 100 });
		second.close();
	});
});

describe('H1: the device is the enforcer, whatever the database says', () => {
	it('rows written into the database (no high-risk kinds, owner passkeys deleted, a rogue owner inserted) do not get a Remove run without approval', async () => {
		const pinnedBefore = agent.identity().mas[0]!.trust!;
		const rogue = new SoftAuthenticator(server.url);
		rogue.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
		const rogueCred = rogue.credentials[0]!;
		const now = Date.now();
		attackerDb.transaction(() => {
			attackerDb.prepare(`update management_authorities set settings = json_set(settings, '$.highRiskKinds', json('[]')) where id = ?`).run(maId);
			attackerDb.prepare('delete from passkeys').run();
			attackerDb.prepare(`insert into administrators (id, display_name, user_handle, created_at) values ('rogue-admin', 'Rogue', ?, ?)`).run(rogueCred.userHandle, now);
			attackerDb
				.prepare(`insert into passkeys (id, admin_id, public_key, counter, transports, name, device_type, backed_up, created_at) values (?, 'rogue-admin', ?, 0, '[]', 'rogue', 'singleDevice', 0, ?)`)
				.run(b64u(rogueCred.id), b64u(rogueCred.cosePublicKey), now);
			attackerDb.prepare(`insert into memberships (admin_id, ma_id, role, created_at) values ('rogue-admin', ?, 'owner', ?)`).run(maId, now);
		})();
		signing().trust.invalidate(maId);

		// The server keeps issuing what the owners approved: the Remove is held for a trusted passkey.
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Remove', componentId: CLOCK }], intent: 'attack' });
		expect(created.status).toBe(202);
		expect(created.body).toMatchObject({ approval: 'pending' });
		expect(signing().trust.current(maId).statement.credentials).toEqual(pinnedBefore.credentials);
		const mark = agent.mark();
		await server.ctx.services.operations.deliverOpen(deviceId);
		expect(agent.events.slice(mark).some((e) => e.event === 'commands')).toBe(false);
		expect(agentInventory(agent, maId)).toHaveLength(1);
		await api.request('POST', `/api/v1/operations/${created.body.operations[0]!.correlator}/cancel`);
	});

	it('a server that signs the weakened statement with the MA key anyway is refused by the agent (1463, nothing removed)', async () => {
		const trust = signing().trust;
		const genuine = trust.current(maId);
		const rogue = new SoftAuthenticator(server.url);
		rogue.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
		const rogueCred = adminCredentialOf(b64u(rogue.credentials[0]!.id), b64u(rogue.credentials[0]!.cosePublicKey))!;
		// What a compromised server (database AND master key) would issue: no high-risk kinds, its own approver.
		const statement = { ...genuine.statement, seq: genuine.statement.seq + 100, policy: { kinds: [], fanout: 100 }, credentials: [rogueCred] };
		const key = signing().keys.current(maId);
		const forged: SignedTrust = { statement, signatures: [{ keyId: key.id, signature: signing().keys.signWith(key, trustMessage(statement)) }] };
		const original = trust.current;
		trust.current = (id: string) => (id === maId ? forged : original(id));
		const mark = agent.mark();
		let done;
		try {
			const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Remove', componentId: CLOCK }], intent: 'attack' });
			// Under the forged policy the server itself does not even hold it.
			expect(created.body).toMatchObject({ approval: 'not-required' });
			done = await api.waitForOperation(created.body.operations[0]!.correlator, (o) => terminal(o.status));
		} finally {
			trust.current = original;
		}
		expect(done).toMatchObject({ status: 'failed', resultCode: 1463 });
		await agent.waitAfter(mark, (e) => e.event === 'trust-refused' && String(e.reason).includes('changes the approving passkeys'), 'the forged statement to be refused');
		expect(agent.identity().mas[0]!.trust!.seq).toBe(genuine.statement.seq);
		expect(agentInventory(agent, maId)).toEqual([{ componentId: CLOCK, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Stopped' }]);
		expect(agent.events.slice(mark).some((e) => e.event === 'operation')).toBe(false);
	});
});

describe('LOW: database restore and rotation overlap', () => {
	it('a database restored with a lower trust sequence continues above the agent’s after it reconnects', async () => {
		const pinned = agent.identity().mas[0]!.trust!.seq;
		// The restore: the statement row as an older backup had it.
		attackerDb.prepare(`update ma_trust_statements set seq = 1, content_digest = 'restored' where ma_id = ?`).run(maId);
		signing().trust.invalidate(maId);
		expect(signing().trust.current(maId).statement.seq).toBeLessThan(pinned);
		// The agent reconnects and reports its sequence number (device:info).
		const mark = agent.mark();
		server.ctx.relay.disconnectDevice(deviceId);
		await agent.waitAfter(mark, (e) => e.event === 'connected', 'the agent to reconnect');
		signing().rotate(maId, { type: 'system', id: 'test' });
		const after = agent.mark();
		expect(await runInventory()).toMatchObject({ resultCode: 1200 });
		const updated = await agent.waitAfter(after, (e) => e.event === 'trust-updated', 'the statement after the restore to be taken');
		expect(Number(updated.seq)).toBeGreaterThan(pinned);
	});

	it('key rotation refuses an overlap shorter than a day, and says why', async () => {
		const res = await fetch(`${server.url}/api/v1/signing-keys/rotate`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url, cookie: cookieHeader(owner.jar) },
			body: JSON.stringify({ overlapSeconds: 0 })
		});
		expect(res.status).toBe(400);
		const error = (await json(res)).error as unknown as { code: string; issues: { path: string; message: string }[] };
		expect(error.code).toBe('invalid_request');
		expect(error.issues).toEqual([expect.objectContaining({ message: expect.stringContaining('at least 86400') })]);
		expect(error.issues[0]!.message).toContain('strands devices');
	});
});

// Sign-in still works for an administrator whose passkey was never certified (it only cannot approve).
describe('sign-in is unchanged', () => {
	it('a viewer signs in with a passkey the devices do not trust', async () => {
		const v = await invited('viewer', 'Wanda');
		const jar: Jar = new Map();
		expect((await signInOverHttp(server.url, v.auth, jar)).status).toBe(200);
	});
});
