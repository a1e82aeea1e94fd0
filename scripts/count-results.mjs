// Sums the JSON reports of the three test tiers into one line: "N passed, N failed[, N skipped]".
// A tier whose report is missing (it never ran, or it crashed) counts as one failure, so a broken run can
// never print "0 failed". Steps without a test report (type check, architecture lint, build, install), as
// recorded by scripts/run-steps.mjs or .ci/run in test-results/steps/, count one failure each when they failed.
import { readFileSync, existsSync, readdirSync } from 'node:fs';

const tiers = [
	['unit', 'test-results/unit.json', 'vitest'],
	['integration', 'test-results/integration.json', 'vitest'],
	['e2e', 'test-results/e2e.json', 'playwright']
];
let passed = 0;
let failed = 0;
let skipped = 0;
const stepsDir = 'test-results/steps';
const steps = existsSync(stepsDir) ? readdirSync(stepsDir).filter((f) => f.endsWith('.json')).sort() : [];
for (const file of steps) {
	const step = JSON.parse(readFileSync(`${stepsDir}/${file}`, 'utf8'));
	if (tiers.some(([name]) => name === step.name)) continue; // counted from its report below
	console.log(`${step.name}: ${step.ok ? 'ok' : `FAILED (${step.detail}), counted as 1 failure`}`);
	if (!step.ok) failed += 1;
}
for (const [name, file, kind] of tiers) {
	if (!existsSync(file)) {
		console.log(`${name}: no report (${file}), counted as 1 failure`);
		failed += 1;
		continue;
	}
	const r = JSON.parse(readFileSync(file, 'utf8'));
	let p, f, s;
	if (kind === 'vitest') {
		p = r.numPassedTests;
		f = r.numFailedTests + (r.success === false && r.numFailedTests === 0 ? 1 : 0);
		s = r.numPendingTests + r.numTodoTests;
	} else {
		p = r.stats.expected + r.stats.flaky;
		f = r.stats.unexpected + (r.errors?.length ?? 0);
		s = r.stats.skipped;
	}
	// A tier whose command failed although its report shows no failed test (a crash after the report,
	// an error outside any test) still failed.
	const stepFile = `${stepsDir}/${name}.json`;
	if (f === 0 && existsSync(stepFile) && !JSON.parse(readFileSync(stepFile, 'utf8')).ok) {
		console.log(`${name}: its command failed although no test did, counted as 1 failure`);
		f = 1;
	}
	console.log(`${name}: ${p} passed, ${f} failed, ${s} skipped`);
	passed += p;
	failed += f;
	skipped += s;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
