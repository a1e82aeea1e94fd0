/** The table on stdout and the JSON in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Check, Figure } from './context';

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toFixed(2)))) : 'n/a');

export function goalMet(f: Figure): boolean | null {
	if (!f.goal || !Number.isFinite(f.value)) return null;
	return f.goal.op === '<=' ? f.value <= f.goal.value : f.value >= f.goal.value;
}

/** value / goal: for a "≤" goal below 1 is better, for a "≥" goal above 1 is better. */
export const ratioToGoal = (f: Figure) => (f.goal ? f.value / f.goal.value : NaN);
export const ratioToRaw = (f: Figure) => (f.raw && f.raw.value ? f.value / f.raw.value : NaN);

export function printTable(figures: readonly Figure[], header: string): string {
	const lines = [
		header,
		'',
		'| scenario | figure | value | goal | vs goal | met | raw stack | vs raw |',
		'|---|---|---:|---:|---:|:-:|---:|---:|'
	];
	for (const f of figures) {
		const met = goalMet(f);
		lines.push(
			`| ${f.scenario} | ${f.figure} | ${fmt(f.value)} ${f.unit} | ${f.goal ? `${f.goal.op === '<=' ? '≤' : '≥'} ${fmt(f.goal.value)} ${f.unit}` : ''} | ${
				f.goal ? `${fmt(ratioToGoal(f))}×` : ''
			} | ${met === null ? '' : met ? 'yes' : 'NO'} | ${f.raw ? `${fmt(f.raw.value)} ${f.unit}` : ''} | ${f.raw ? `${fmt(ratioToRaw(f))}×` : ''} |`
		);
		// What the raw figure is (like for like, or the floor), so the two columns are never read as the same thing.
		const notes = [f.note, f.raw ? `raw: ${f.raw.what}` : undefined].filter(Boolean).join('; ');
		if (notes) lines.push(`|  | ↳ ${notes} | | | | | | |`);
	}
	const text = lines.join('\n');
	console.log(text);
	return text;
}

export function printChecks(checks: readonly Check[]): void {
	const failed = checks.filter((c) => !c.ok);
	console.log(`\ncorrectness: ${checks.length - failed.length}/${checks.length} checks passed`);
	for (const c of failed) console.log(`  FAILED ${c.scenario}: ${c.name} (${c.detail})`);
}

export function writeResults(result: unknown, extraFile: string | null, resultsDir: string | null): string {
	const dir = resultsDir ? path.resolve(resultsDir) : path.resolve(import.meta.dirname, '../results');
	mkdirSync(dir, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const file = path.join(dir, `${stamp}.json`);
	const text = `${JSON.stringify(result, null, 2)}\n`;
	writeFileSync(file, text);
	writeFileSync(path.join(dir, 'latest.json'), text);
	if (extraFile) writeFileSync(extraFile, text);
	return file;
}
