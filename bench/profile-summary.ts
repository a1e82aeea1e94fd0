/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --profile /tmp/prof`):
 * the functions and files with the most self time, and the project functions with the most total time.
 *
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 30]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The project's root as it appears in profile URLs, so file names print relative to it wherever it is checked out. */
const ROOT = path.resolve(import.meta.dirname, '..') + '/';
const escaped = ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const UNDER_ROOT = new RegExp(`^.*${escaped}`);
const PROJECT_FILE = new RegExp(`${escaped}(src|bench|agent|server\\.ts)`);

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

function summarize(file: string, top: number): void {
	const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(p.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
	const totalUs = p.endTime - p.startTime;
	const label = (n: Node) => {
		const url = n.callFrame.url.replace(/^file:\/\//, '').replace(UNDER_ROOT, '').replace(/.*node_modules\//, 'nm:');
		return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
	};
	const fileOf = (n: Node) => n.callFrame.url.replace(/^file:\/\//, '').replace(UNDER_ROOT, '').replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, 'nm:$1') || `(${n.callFrame.functionName})`;
	const selfByFn = new Map<string, number>();
	const selfByFile = new Map<string, number>();
	for (const [id, us] of self) {
		const n = byId.get(id)!;
		selfByFn.set(label(n), (selfByFn.get(label(n)) ?? 0) + us);
		selfByFile.set(fileOf(n), (selfByFile.get(fileOf(n)) ?? 0) + us);
	}
	// Inclusive time of project functions (src/, bench/, agent/): counted once per stack.
	const parent = new Map<number, number>();
	for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const inclusive = new Map<string, number>();
	for (const [id, us] of self) {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const n = byId.get(cur)!;
			if (!PROJECT_FILE.test(n.callFrame.url)) continue;
			const l = label(n);
			if (seen.has(l)) continue;
			seen.add(l);
			inclusive.set(l, (inclusive.get(l) ?? 0) + us);
		}
	}
	const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`;
	const show = (title: string, m: Map<string, number>) => {
		console.log(`\n${title}`);
		for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
	};
	console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled`);
	show('self time by file/package', selfByFile);
	show('self time by function', selfByFn);
	show('total time of project functions', inclusive);
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
// Without --top, topAt + 1 is 0: only skip the value of a --top that is there.
for (const f of args.filter((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1))) summarize(f, top);
