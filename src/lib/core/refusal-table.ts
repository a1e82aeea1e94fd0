/**
 * The state × operation table of transition(), written out for docs/protocol.md: what a device answers for
 * each operation kind in each inventory state of the component (1200 = runs). Generated from the core, and
 * a test checks that the document carries exactly this table.
 */
import { OPERATION_KINDS } from './operations';
import { transition } from './transition';
import type { ComponentState } from './component';

const ID = 'com.example.app';

/** Representative inventory states of one component (its entry before the operation). */
export const TABLE_STATES: { label: string; entry: ComponentState | null }[] = [
	{ label: 'absent', entry: null },
	{ label: 'delivered 1.0.0', entry: { stage: 'delivered', componentId: ID, version: '1.0.0' } },
	{ label: 'Active, Stopped', entry: { stage: 'deployed', componentId: ID, version: '1.0.0', state: 'Active', operational: 'Stopped' } },
	{ label: 'Active, Running', entry: { stage: 'deployed', componentId: ID, version: '1.0.0', state: 'Active', operational: 'Running' } },
	{ label: 'Inactive, Stopped', entry: { stage: 'deployed', componentId: ID, version: '1.0.0', state: 'Inactive', operational: 'Stopped' } }
];

/** The markdown table: rows are operation kinds, columns the states; packages are version 2.0.0, any baseline. */
export function refusalTableMarkdown(): string {
	const head = `| operation | ${TABLE_STATES.map((s) => s.label).join(' | ')} |`;
	const rule = `|---|${TABLE_STATES.map(() => '---').join('|')}|`;
	const rows = OPERATION_KINDS.map((kind) => {
		const cells = TABLE_STATES.map((s) => {
			const r = transition({ kind, current: s.entry, componentId: ID, targetVersion: '2.0.0', deviceBaseline: 'base-1' });
			return r.ok ? '1200' : `${r.error.resultCode} ${r.error.reason}`;
		});
		return `| ${kind} | ${cells.join(' | ')} |`;
	});
	return [head, rule, ...rows].join('\n');
}
