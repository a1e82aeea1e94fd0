// Sums the JSON reports of the three test tiers into one line: "N passed, N failed[, N skipped]".
// A tier whose report is missing (it never ran because an earlier one failed, or it crashed) counts as
// one failure, so a broken run can never print "0 failed".
import { readFileSync, existsSync } from 'node:fs';

const tiers = [
	['unit', 'test-results/unit.json', 'vitest'],
	['integration', 'test-results/integration.json', 'vitest'],
	['e2e', 'test-results/e2e.json', 'playwright']
];
let passed = 0;
let failed = 0;
let skipped = 0;
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
	console.log(`${name}: ${p} passed, ${f} failed, ${s} skipped`);
	passed += p;
	failed += f;
	skipped += s;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
