/**
 * docs/protocol.md documents every event of DEVICE_EVENTS with every field of its schema, every event of the
 * console's /admin namespace, and every error code of ERROR_CODES.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEVICE_EVENTS, ERROR_CODES } from '../../src/lib/contract';
import { ADMIN_EVENTS, ADMIN_LIVE_EVENTS } from '../../src/lib/contract/admin-protocol';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/protocol.md'), 'utf8');
const lines = doc.split('\n');

/** A `### name` heading followed, before the next heading, by a direction line and the schema's name. */
function section(name: string): string | null {
	const start = lines.findIndex((l) => l.trim() === `### ${name}`);
	if (start === -1) return null;
	const rest = lines.slice(start + 1);
	const end = rest.findIndex((l) => l.startsWith('#'));
	return (end === -1 ? rest : rest.slice(0, end)).join('\n');
}

describe('docs/protocol.md', () => {
	it.each(Object.entries(DEVICE_EVENTS))('documents the event %s with its direction', (name, spec) => {
		const body = section(name);
		expect(body, `no "### ${name}" section`).not.toBeNull();
		expect(body).toContain(spec.from === 'server' ? 'S→D' : 'D→S');
	});

	it.each(Object.entries(DEVICE_EVENTS))('documents every field of the event %s in its schema line', (name, spec) => {
		// An object schema, or a pipe whose first item is one (a schema with a cross-field check).
		const schema = spec.schema as { entries?: Record<string, unknown>; pipe?: { entries?: Record<string, unknown> }[] };
		const fields = Object.keys(schema.entries ?? schema.pipe?.[0]?.entries ?? {});
		const row = section(name)!.split('\n').find((l) => l.startsWith('| schema |'));
		expect(row, `no schema row for ${name}`).toBeDefined();
		for (const f of fields) expect(row, `${name}.${f}`).toMatch(new RegExp(`[{ ,]${f}[?:,}|\\[\\\\ ]`));
	});

	it.each([...ADMIN_EVENTS, ...ADMIN_LIVE_EVENTS])('documents the console event %s', (name) => {
		const table = doc.slice(doc.indexOf('## Console live events'), doc.indexOf('## REST endpoints for devices'));
		expect(table.split('\n').some((l) => l.startsWith(`| \`${name}\` |`))).toBe(true);
	});

	it.each(Object.entries(ERROR_CODES))('documents the error code %s with its status', (code, spec) => {
		const row = lines.find((l) => l.startsWith(`| \`${code}\` |`));
		expect(row, `no table row for ${code}`).toBeDefined();
		expect(row).toContain(`| ${spec.status} |`);
	});

	it('documents that inventory entries and state changes name their MA (component IDs are unique per MA only)', () => {
		expect(section('inventory')).toContain('maId');
		expect(section('inventory')).toContain('unique per MA');
		expect(section('component:state')).toContain('maId');
		expect(lines.find((l) => l.startsWith('| `conflict` |'))).not.toContain('component ID of another MA');
	});

	it('documents no event that the contract does not have', () => {
		const eventsSection = doc.slice(doc.indexOf('## Events'), doc.indexOf('## Error codes'));
		const headings = [...eventsSection.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
		expect(headings.sort()).toEqual(Object.keys(DEVICE_EVENTS).sort());
	});
});
