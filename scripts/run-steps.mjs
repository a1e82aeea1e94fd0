// Runs named steps one after the other, every one even when an earlier one failed, and exits non-zero if
// any failed. Each step's outcome is written to test-results/steps/<name>.json, so that
// scripts/count-results.mjs can count a failed build, type check or lint in the summary line (test tiers
// also write their own reports there). Usage: node scripts/run-steps.mjs unit build integration e2e
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

// name -> [npm script, its report file (removed first, so a stale report is never counted)]
const STEPS = {
	check: ['check'],
	'lint-arch': ['lint:arch'],
	unit: ['test:unit', 'test-results/unit.json'],
	build: ['build'],
	integration: ['test:integration:only', 'test-results/integration.json'],
	e2e: ['test:e2e:only', 'test-results/e2e.json']
};

const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in STEPS));
if (names.length === 0 || unknown.length > 0) {
	console.error(`usage: node scripts/run-steps.mjs STEP...  (steps: ${Object.keys(STEPS).join(', ')})`);
	process.exit(2);
}
mkdirSync('test-results/steps', { recursive: true });
const failed = [];
for (const name of names) {
	const [script, report] = STEPS[name];
	if (report) rmSync(report, { force: true });
	rmSync(`test-results/steps/${name}.json`, { force: true });
	console.log(`\n=== ${name}: npm run ${script}`);
	const started = Date.now();
	const r = spawnSync('npm', ['run', script], { stdio: 'inherit' });
	const ok = r.status === 0;
	const seconds = Math.round((Date.now() - started) / 1000);
	const detail = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
	writeFileSync(`test-results/steps/${name}.json`, JSON.stringify({ name, ok, detail, seconds }) + '\n');
	console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (${detail})`} in ${seconds} s`);
	if (!ok) failed.push(name);
}
if (failed.length > 0) console.log(`\nfailed steps: ${failed.join(', ')}`);
process.exit(failed.length > 0 ? 1 : 0);
