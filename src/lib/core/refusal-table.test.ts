/** docs/protocol.md carries the state × operation table exactly as the core's transition() decides it. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { refusalTableMarkdown } from './refusal-table';
import { transition } from './transition';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/protocol.md'), 'utf8');

describe('the refusal table in docs/protocol.md', () => {
	it('is the one the core computes (regenerate with refusalTableMarkdown())', () => {
		const between = doc.split('<!-- refusal-table:start -->')[1]?.split('<!-- refusal-table:end -->')[0]?.trim();
		expect(between).toBe(refusalTableMarkdown());
	});

	it('has one row per operation kind and a cell per state, and its cells change when the core does', () => {
		const table = refusalTableMarkdown();
		expect(table.split('\n')).toHaveLength(2 + 12);
		expect(table).toContain('| Start | 1458 not-found | 1458 not-found | 1200 | 1450 already-running | 1450 not-active |');
	});

	it('states the notes below the table as the core decides them', () => {
		const entry = { stage: 'deployed', componentId: 'com.example.app', version: '1.0.0', state: 'Active', operational: 'Stopped' } as const;
		const same = transition({ kind: 'Update', current: entry, componentId: entry.componentId, targetVersion: '1.0.0', deviceBaseline: 'b' });
		expect(!same.ok && same.error.resultCode).toBe(1460);
		expect(doc).toContain('is **1460** (already-at-version)');
		const base = transition({ kind: 'DownloadInstall', current: null, componentId: entry.componentId, targetVersion: '1.0.0', compatibleBaselines: ['other'], deviceBaseline: 'b' });
		expect(!base.ok && base.error.resultCode).toBe(1413);
		expect(doc).toContain('**1413** (unsupported-baseline)');
		const none = transition({ kind: 'DownloadInstall', current: null, componentId: entry.componentId, deviceBaseline: 'b' });
		expect(!none.ok && none.error.resultCode).toBe(1400);
		expect(doc).toContain('**1400** (missing-version)');
	});
});
