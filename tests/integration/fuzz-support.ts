/**
 * Shared by the fuzz suites: arbitrary and mutated inputs (fast-check), and the database consistency checks
 * that must hold whatever a client sent.
 */
import fc from 'fast-check';
import type Database from 'better-sqlite3';
import { ERROR_CODES } from '../../src/lib/contract';

/** Bounded runs: the whole fuzz tier stays well under a minute on two cores. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

/** Any JSON-ish value, binary data, deep nesting and long strings included. */
export const anyValue = (): fc.Arbitrary<unknown> =>
	fc.oneof(
		fc.anything({ maxDepth: 4, maxKeys: 8 }),
		fc.uint8Array({ maxLength: 256 }),
		fc.string({ maxLength: 20_000 }),
		fc.constantFrom(null, undefined, 0, -1, 1e308, '', '__proto__', [], {}, { __proto__: { polluted: true } })
	);

/**
 * A valid sample changed in one place: a field replaced with anything, removed, an extra field added, or the
 * whole value replaced. Most results are invalid; the rest exercise the handlers past validation.
 */
export function mutated(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
	const keys = Object.keys(sample);
	return fc.oneof(
		anyValue(),
		fc.tuple(fc.constantFrom(...keys), anyValue()).map(([k, v]) => ({ ...sample, [k]: v })),
		fc.constantFrom(...keys).map((k) => {
			const c = { ...sample };
			delete c[k];
			return c;
		}),
		fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), anyValue()).map(([k, v]) => ({ ...sample, [k]: v })),
		fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 5000 })).map(([k, s]) => ({ ...sample, [k]: s }))
	);
}

export const isStableCode = (code: unknown): boolean => typeof code === 'string' && code in ERROR_CODES;

const COUNTED = [
	'devices',
	'enrollments',
	'enrollment_codes',
	'packages',
	'package_versions',
	'operations',
	'batches',
	'device_requests',
	'api_tokens'
] as const;

export function tableCounts(db: Database.Database): Record<string, number> {
	return Object.fromEntries(COUNTED.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
}

/** Integrity, foreign keys, and no orphans the foreign keys would not catch. */
export function consistencyProblems(db: Database.Database): string[] {
	const problems: string[] = [];
	const integrity = db.prepare('pragma integrity_check').all() as { integrity_check: string }[];
	if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
	const fk = db.prepare('pragma foreign_key_check').all();
	if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
	const orphans: [string, string][] = [
		['operations without a device', 'select count(*) as n from operations o where not exists (select 1 from devices d where d.id = o.device_id)'],
		[
			'operations naming a missing package version',
			'select count(*) as n from operations o where o.package_version_id is not null and not exists (select 1 from package_versions v where v.id = o.package_version_id)'
		],
		['inventory without a device', 'select count(*) as n from inventory i where not exists (select 1 from devices d where d.id = i.device_id)'],
		['versions without a package', 'select count(*) as n from package_versions v where not exists (select 1 from packages p where p.id = v.package_id)']
	];
	for (const [what, sql] of orphans) {
		const n = (db.prepare(sql).get() as { n: number }).n;
		if (n > 0) problems.push(`${what}: ${n}`);
	}
	return problems;
}
