/**
 * Preparing the bench's data directory before the server starts, in this process through the product's own
 * services (as the admin CLI does): one MA with an operate API token, and one enrollment code per simulated
 * device (creating thousands over REST would only measure the set-up).
 */
import { parseConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/create-app';
import { createLogger } from '../../src/lib/server/logger';
import { createApiToken } from '../../src/lib/server/auth/api-tokens';

const SYSTEM = { type: 'system', id: 'bench' } as const;

export type Prepared = { maId: string; maName: string; token: string; codes: string[] };

export function prepareDataDir(dataDir: string, devices: number): Prepared {
	const ctx = createApp(parseConfig({ SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
	try {
		const maName = 'Bench MA';
		const ma = ctx.services.mas.create(maName, SYSTEM);
		if (!ma.ok) throw new Error(ma.error.message);
		const { token } = createApiToken(ctx.store.db, { maId: ma.value.maId, scope: 'operate', name: 'bench' }, Date.now());
		const codes: string[] = [];
		// One SQLite transaction around them all: this is set-up, not a measured figure.
		ctx.store.sqlite.transaction(() => {
			for (let i = 0; i < devices; i++) {
				const c = ctx.services.enrollment.create(ma.value.maId, SYSTEM, { label: `bench ${i}`, expiresInSeconds: 24 * 3600 });
				if (!c.ok) throw new Error(c.error.message);
				codes.push(c.value.code);
			}
		})();
		return { maId: ma.value.maId, maName, token, codes };
	} finally {
		ctx.store.close();
	}
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
