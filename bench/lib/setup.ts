/**
 * Preparing the bench's data directory before the server starts, in this process through the product's own
 * services (as the admin CLI does): one MA with an operate API token, an owner with an ES256 passkey (a
 * software authenticator; its credential is in the MA's trust statement before any device enrolls, as in
 * production, so a fan-out above the MA's high-risk size waits for the owner's passkey approval), and one
 * enrollment code per simulated device (creating thousands over REST would only measure the set-up).
 */
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { insertAdmin, insertMembership, insertPasskey } from '../../src/lib/server/auth/accounts';
import { SoftAuthenticator, type SoftCredential } from '../../tests/support/soft-authenticator';
import { parseConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/create-app';
import { createLogger } from '../../src/lib/server/logger';
import { createApiToken } from '../../src/lib/server/auth/api-tokens';

const SYSTEM = { type: 'system', id: 'bench' } as const;

export type Prepared = { maId: string; maName: string; token: string; codes: string[]; owner: SoftCredential };

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

export function prepareDataDir(dataDir: string, devices: number): Prepared {
	const ctx = createApp(parseConfig({ SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
	try {
		const maName = 'Bench MA';
		const ma = ctx.services.mas.create(maName, SYSTEM);
		if (!ma.ok) throw new Error(ma.error.message);
		const { token } = createApiToken(ctx.store.db, { maId: ma.value.maId, scope: 'operate', name: 'bench' }, Date.now());
		// The owner's passkey (the origin is the server's, set when the assertion is made: see ownerOf).
		const soft = new SoftAuthenticator('http://localhost');
		soft.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
		const owner = soft.credentials[0]!;
		const adminId = uuidv7();
		const now = Date.now();
		insertAdmin(ctx.store.db, { id: adminId, displayName: 'Bench owner', userHandle: owner.userHandle }, now);
		insertPasskey(
			ctx.store.db,
			adminId,
			{ id: b64u(owner.id), publicKey: b64u(owner.cosePublicKey), counter: 0, transports: ['internal'], deviceType: 'singleDevice', backedUp: false },
			'Bench owner key',
			now
		);
		insertMembership(ctx.store.db, adminId, ma.value.maId, 'owner', now);
		const codes: string[] = [];
		// One SQLite transaction around them all: this is set-up, not a measured figure.
		ctx.store.sqlite.transaction(() => {
			for (let i = 0; i < devices; i++) {
				const c = ctx.services.enrollment.create(ma.value.maId, SYSTEM, { label: `bench ${i}`, expiresInSeconds: 24 * 3600 });
				if (!c.ok) throw new Error(c.error.message);
				codes.push(c.value.code);
			}
		})();
		return { maId: ma.value.maId, maName, token, codes, owner };
	} finally {
		ctx.store.close();
	}
}

/** The owner's authenticator, speaking for the server at `origin` (WebAuthn binds assertions to it). */
export function ownerOf(origin: string, credential: SoftCredential): SoftAuthenticator {
	const auth = new SoftAuthenticator(origin);
	auth.credentials.push(credential);
	return auth;
}

/** The component every simulated device has installed (Active, Stopped) so that Start/Stop run for real. */
export const BENCH_MANIFEST = {
	id: 'org.scomorelay.bench.clicker',
	name: 'Bench clicker',
	version: '1.0.0',
	description: 'A component the benchmark starts and stops (SCOMO-HLFR-5 relayed commands).',
	permissions: [] as never[],
	compatibleBaselines: ['*'],
	entry: 'main.js'
};
export const BENCH_BUNDLE = 'export default { start() { return "clicked"; } };\n';
