/** Health: database reachable, realtime attached, version. 200 when all is well, 503 otherwise. */
import { json } from '@sveltejs/kit';
import { pingStore } from '$lib/server/db/repos/health';
import type { RequestEvent } from './$types';

export function GET({ locals }: RequestEvent) {
	const ctx = locals.app;
	let database = false;
	try {
		database = pingStore(ctx.store.db);
	} catch {
		database = false;
	}
	const realtime = ctx.io !== null;
	const healthy = database && realtime;
	return json(
		{
			status: healthy ? 'ok' : 'degraded',
			database,
			realtime,
			version: ctx.version,
			uptimeSeconds: Math.round((ctx.clock() - ctx.startedAt) / 1000)
		},
		{ status: healthy ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
}
