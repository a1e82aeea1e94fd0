/**
 * Rollout scheduler overhead per device (issue #17): the services over a real SQLite store in this process
 * (services/test-harness.ts; devices offline, so commands stay queued and only the server's own work is
 * measured). A two-phase rollout (1 % canary, then the rest) to N devices: activation (target resolved, phases
 * cut, one row per device), the ticks that make the batches (at most 5,000 devices each, signed once), and the
 * tick that records N finished tries. Prints each step's time and its cost per device, then the server time of
 * the console's rollout pages at that size, and writes both to bench/results/rollouts-latest.json.
 *
 *   npx tsx bench/rollout-scheduler.ts [devices=10000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { serviceHarness } from '../src/lib/server/services/test-harness';

const N = Number(process.argv[2] ?? 10_000);
const RESULTS = fileURLToPath(new URL('./results', import.meta.url));
const APP = 'com.acme.app';
const h = serviceHarness();
const { maId } = h.maWithDevice();
const t0 = performance.now();
for (let i = 1; i < N; i++) h.enrollDevice(maId);
console.log(`enrolled ${N} devices in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup, not measured)`);
h.upload(maId, APP, '1.0.0');

const rows: { step: string; ms: number; devices: number }[] = [];
function measure<T>(step: string, devices: number, fn: () => T): T {
	const s = performance.now();
	const r = fn();
	rows.push({ step, ms: performance.now() - s, devices });
	return r;
}
const threshold = { success: { percent: 100, then: 'advance' }, error: { percent: 10, then: 'pause' }, refusal: { percent: 50, then: 'pause' } };
const created = h.services.rollouts.create(maId, h.system, {
	name: 'bench',
	target: { kind: 'filter', filter: '' },
	steps: { operations: [{ kind: 'DownloadInstall', componentId: APP }], consentMode: 'silent' },
	phases: [
		{ name: 'canary', size: { kind: 'percent', percent: 1 }, ...threshold },
		{ name: 'rest', size: { kind: 'rest' }, ...threshold }
	]
});
if (!created.ok) throw new Error(created.error.message);
const id = created.value.id;
measure('start (resolve target, cut phases, insert rows)', N, () => h.services.rollouts.start(maId, h.system, id));

async function answerAll(step: string) {
	const page = h.services.rollouts.devices(maId, id, { state: 'delivered', limit: 1000 });
	let items = page.ok ? page.value.items : [];
	let cursor = page.ok ? page.value.nextCursor : null;
	while (cursor) {
		const next = h.services.rollouts.devices(maId, id, { state: 'delivered', limit: 1000, cursor });
		if (!next.ok) break;
		items = items.concat(next.value.items);
		cursor = next.value.nextCursor;
	}
	const entry = { stage: 'deployed' as const, componentId: APP, version: '1.0.0', state: 'Active' as const, operational: 'Stopped' as const };
	await Promise.all(items.map((d) => h.services.operations.recordResult(d.deviceId, { correlator: d.correlator!, resultCode: 1200, message: '', componentId: APP, entry, completedAt: 1 })));
	console.log(`${step}: ${items.length} results recorded (not measured)`);
	return items.length;
}

const tick = (step: string, devices: number) => measure(step, devices, () => h.services.rolloutScheduler.tick());
tick('tick: canary batch', Math.ceil(N / 100));
tick('tick: nothing to do (idempotent pass)', N);
const canary = await answerAll('canary');
tick('tick: observe canary, advance, first batch of the rest', canary + Math.min(5000, N - canary));
let guard = 0;
for (;;) {
	const d = h.services.rollouts.get(maId, id);
	if (!d.ok) throw new Error(d.error.message);
	if (d.value.rollout.tally.pending === 0 || guard++ > 10) break;
	if (d.value.phases[1]!.tally.pending > 0 && d.value.rollout.tally.pending === d.value.phases[1]!.tally.pending) {
		const waiting = h.services.rollouts.devices(maId, id, { state: 'waiting', limit: 1 });
		if (waiting.ok && waiting.value.total > 0) {
			tick('tick: next batch', Math.min(5000, waiting.value.total));
			continue;
		}
	}
	const n = await answerAll('rest');
	tick('tick: observe finished tries, complete', n);
}
const final = h.services.rollouts.get(maId, id);
console.log(`status: ${final.ok ? final.value.rollout.status : '?'}`);
console.log('\nstep'.padEnd(58) + 'ms'.padStart(10) + 'µs/device'.padStart(12));
for (const r of rows) console.log(r.step.padEnd(57) + r.ms.toFixed(1).padStart(10) + ((r.ms * 1000) / Math.max(1, r.devices)).toFixed(1).padStart(12));

// The console's pages at this size: what /admin/rollouts and /admin/rollouts/[id] load (the services their
// loads call), each 30 times after a warm-up; server time, p50 and p95.
const pages: { page: string; p50: number; p95: number }[] = [];
function pageTime(page: string, fn: () => unknown) {
	fn();
	const ts: number[] = [];
	for (let i = 0; i < 30; i++) {
		const s = performance.now();
		fn();
		ts.push(performance.now() - s);
	}
	ts.sort((a, b) => a - b);
	pages.push({ page, p50: ts[14]!, p95: ts[28]! });
}
pageTime('rollouts list (first page of 25)', () => h.services.rollouts.page(maId, { limit: 25 }));
pageTime('rollout detail (definition, phase tallies, timeline)', () => h.services.rollouts.get(maId, id));
pageTime('rollout devices (first page of 100)', () => h.services.rollouts.devices(maId, id, { limit: 100 }));
// The cursor half-way through phase 2, found once by walking its pages (not timed).
let halfway: string | null = null;
for (let seen = 0, cursor: string | null | undefined = undefined; seen < N / 2; ) {
	const p = h.services.rollouts.devices(maId, id, { phase: 1, limit: 1000, ...(cursor ? { cursor } : {}) });
	if (!p.ok || !p.value.nextCursor) break;
	seen += p.value.items.length;
	cursor = halfway = p.value.nextCursor;
}
if (halfway) pageTime('rollout devices of phase 2, half-way (cursor)', () => h.services.rollouts.devices(maId, id, { phase: 1, limit: 100, cursor: halfway! }));
console.log(`\nconsole page (${N} devices)`.padEnd(58) + 'p50 ms'.padStart(10) + 'p95 ms'.padStart(12));
for (const p of pages) console.log(p.page.padEnd(57) + p.p50.toFixed(1).padStart(10) + p.p95.toFixed(1).padStart(12));

const out = { at: new Date().toISOString(), devices: N, steps: rows.map((r) => ({ ...r, usPerDevice: (r.ms * 1000) / Math.max(1, r.devices) })), pages };
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}/rollouts-latest.json`, JSON.stringify(out, null, 2));
console.log(`\nwritten: bench/results/rollouts-latest.json`);
h.store.close();
