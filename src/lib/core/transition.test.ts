import { describe, it, expect } from 'vitest';
import { transition, allowedOperations, type Step, type TransitionReason } from './transition';
import type { ComponentState } from './component';
import type { OperationKind } from './operations';
import { OPERATION_KINDS } from './operations';
import type { DeployedState, OperationalState } from './states';

const ID = 'com.example.clock';

const deployed = (state: DeployedState, operational: OperationalState): ComponentState => ({
	stage: 'deployed',
	componentId: ID,
	version: 'v1',
	state,
	operational
});

// Every component state the machine distinguishes.
const STATES = {
	absent: null,
	delivered: { stage: 'delivered', componentId: ID, version: 'v1' },
	inactive: deployed('Inactive', 'Stopped'),
	initializing: deployed('Active', 'Initializing'),
	running: deployed('Active', 'Running'),
	shuttingDown: deployed('Active', 'ShuttingDown'),
	stopped: deployed('Active', 'Stopped'),
	failed: deployed('Active', 'Failed')
} as const satisfies Record<string, ComponentState | null>;
type StateName = keyof typeof STATES;

// Expected outcome, written out by hand from the OMA SCOMO requirements — deliberately not derived from transition().
type Next =
	| null
	| { stage: 'delivered'; version: string }
	| { stage: 'deployed'; state: DeployedState; operational: OperationalState; version: string };
type Expect = { next: Next | 'same'; steps: Step[] } | { code: number; reason: TransitionReason };

const del = (version: string): Next => ({ stage: 'delivered', version });
const dep = (state: DeployedState, operational: OperationalState, version = 'v1'): Next => ({
	stage: 'deployed',
	state,
	operational,
	version
});
const ok = (next: Next | 'same', steps: Step[]): Expect => ({ next, steps });
const no = (code: number, reason: TransitionReason): Expect => ({ code, reason });

const NOT_FOUND = no(1458, 'not-found');
const NOT_DELIVERED = no(1458, 'not-delivered');
const INSTALLED = no(1459, 'already-installed');
const INVENTORY = ok('same', ['report-inventory']);

// Target version for Download*/Update is always 'v2'; current versions are 'v1'.
const TABLE: Record<StateName, Record<OperationKind, Expect>> = {
	absent: {
		Download: ok(del('v2'), ['download', 'verify']),
		DownloadInstall: ok(dep('Active', 'Stopped', 'v2'), ['download', 'verify', 'install', 'activate']),
		DownloadInstallInactive: ok(dep('Inactive', 'Stopped', 'v2'), ['download', 'verify', 'install']),
		Install: NOT_DELIVERED,
		InstallInactive: NOT_DELIVERED,
		Update: NOT_FOUND,
		Remove: NOT_FOUND,
		Activate: NOT_FOUND,
		Deactivate: NOT_FOUND,
		Start: NOT_FOUND,
		Stop: NOT_FOUND,
		Inventory: INVENTORY
	},
	delivered: {
		Download: ok(del('v2'), ['download', 'verify']),
		DownloadInstall: ok(dep('Active', 'Stopped', 'v2'), ['download', 'verify', 'install', 'activate']),
		DownloadInstallInactive: ok(dep('Inactive', 'Stopped', 'v2'), ['download', 'verify', 'install']),
		Install: ok(dep('Active', 'Stopped', 'v1'), ['install', 'activate']),
		InstallInactive: ok(dep('Inactive', 'Stopped', 'v1'), ['install']),
		Update: NOT_FOUND,
		Remove: ok(null, ['remove']),
		Activate: NOT_FOUND,
		Deactivate: NOT_FOUND,
		Start: NOT_FOUND,
		Stop: NOT_FOUND,
		Inventory: INVENTORY
	},
	inactive: {
		Download: INSTALLED,
		DownloadInstall: INSTALLED,
		DownloadInstallInactive: INSTALLED,
		Install: INSTALLED,
		InstallInactive: INSTALLED,
		Update: ok(dep('Inactive', 'Stopped', 'v2'), ['download', 'verify', 'install']),
		Remove: ok(null, ['remove']),
		Activate: ok(dep('Active', 'Stopped'), ['activate']),
		Deactivate: no(1410, 'already-inactive'),
		Start: no(1450, 'not-active'),
		Stop: no(1451, 'not-running'),
		Inventory: INVENTORY
	},
	initializing: {
		Download: INSTALLED,
		DownloadInstall: INSTALLED,
		DownloadInstallInactive: INSTALLED,
		Install: INSTALLED,
		InstallInactive: INSTALLED,
		Update: ok(dep('Active', 'Running', 'v2'), ['download', 'verify', 'stop', 'install', 'start']),
		Remove: ok(null, ['stop', 'remove']),
		Activate: no(1409, 'already-active'),
		Deactivate: ok(dep('Inactive', 'Stopped'), ['stop', 'deactivate']),
		Start: no(1450, 'already-running'),
		Stop: ok(dep('Active', 'Stopped'), ['stop']),
		Inventory: INVENTORY
	},
	running: {
		Download: INSTALLED,
		DownloadInstall: INSTALLED,
		DownloadInstallInactive: INSTALLED,
		Install: INSTALLED,
		InstallInactive: INSTALLED,
		Update: ok(dep('Active', 'Running', 'v2'), ['download', 'verify', 'stop', 'install', 'start']),
		Remove: ok(null, ['stop', 'remove']),
		Activate: no(1409, 'already-active'),
		Deactivate: ok(dep('Inactive', 'Stopped'), ['stop', 'deactivate']),
		Start: no(1450, 'already-running'),
		Stop: ok(dep('Active', 'Stopped'), ['stop']),
		Inventory: INVENTORY
	},
	shuttingDown: {
		Download: INSTALLED,
		DownloadInstall: INSTALLED,
		DownloadInstallInactive: INSTALLED,
		Install: INSTALLED,
		InstallInactive: INSTALLED,
		Update: ok(dep('Active', 'Stopped', 'v2'), ['download', 'verify', 'install']),
		Remove: ok(null, ['remove']),
		Activate: no(1409, 'already-active'),
		Deactivate: ok(dep('Inactive', 'Stopped'), ['deactivate']),
		Start: no(1450, 'already-running'),
		Stop: no(1451, 'not-running'),
		Inventory: INVENTORY
	},
	stopped: {
		Download: INSTALLED,
		DownloadInstall: INSTALLED,
		DownloadInstallInactive: INSTALLED,
		Install: INSTALLED,
		InstallInactive: INSTALLED,
		Update: ok(dep('Active', 'Stopped', 'v2'), ['download', 'verify', 'install']),
		Remove: ok(null, ['remove']),
		Activate: no(1409, 'already-active'),
		Deactivate: ok(dep('Inactive', 'Stopped'), ['deactivate']),
		Start: ok(dep('Active', 'Running'), ['start']),
		Stop: no(1451, 'not-running'),
		Inventory: INVENTORY
	},
	failed: {
		Download: INSTALLED,
		DownloadInstall: INSTALLED,
		DownloadInstallInactive: INSTALLED,
		Install: INSTALLED,
		InstallInactive: INSTALLED,
		Update: ok(dep('Active', 'Stopped', 'v2'), ['download', 'verify', 'install']),
		Remove: ok(null, ['remove']),
		Activate: no(1409, 'already-active'),
		Deactivate: ok(dep('Inactive', 'Stopped'), ['deactivate']),
		Start: ok(dep('Active', 'Running'), ['start']),
		Stop: no(1451, 'not-running'),
		Inventory: INVENTORY
	}
};

const ROWS = (Object.keys(TABLE) as StateName[]).flatMap((s) =>
	OPERATION_KINDS.map((k) => [s, k, TABLE[s][k]] as const)
);

describe('transition: every state × operation', () => {
	it('the table covers all 8 states × 12 operations', () => {
		expect(ROWS).toHaveLength(8 * 12);
	});

	it.each(ROWS)('%s + %s', (stateName, kind, expected) => {
		const current = STATES[stateName];
		const r = transition({ kind, current, componentId: ID, targetVersion: 'v2', deviceBaseline: 'B1' });
		if ('code' in expected) {
			expect(r.ok).toBe(false);
			if (r.ok) return;
			expect(r.error.resultCode).toBe(expected.code);
			expect(r.error.reason).toBe(expected.reason);
			// Each rejection names the component for the human reading it.
			expect(r.error.message).toContain(ID);
		} else {
			expect(r.ok).toBe(true);
			if (!r.ok) return;
			expect(r.value.steps).toEqual(expected.steps);
			if (expected.next === 'same') {
				expect(r.value.next).toEqual(current);
			} else if (expected.next === null) {
				expect(r.value.next).toBeNull();
			} else {
				expect(r.value.next).toEqual({ ...expected.next, componentId: ID });
			}
		}
	});
});

describe('transition: messages', () => {
	it('explains the use case 5.6 pre-condition when starting an inactive component', () => {
		const r = transition({ kind: 'Start', current: STATES.inactive, componentId: ID, deviceBaseline: 'B1' });
		expect(r).toEqual({
			ok: false,
			error: {
				resultCode: 1450,
				reason: 'not-active',
				message: 'Component com.example.clock is inactive; activate it before starting it.'
			}
		});
	});
});

describe('transition: baseline (SCOMO-HLFR-9)', () => {
	const base = { componentId: ID, targetVersion: 'v2', deviceBaseline: 'B1' } as const;

	it('accepts a package listing the device baseline', () => {
		const r = transition({ ...base, kind: 'DownloadInstall', current: null, compatibleBaselines: ['B0', 'B1'] });
		expect(r.ok).toBe(true);
	});

	it("accepts '*' as any baseline", () => {
		const r = transition({ ...base, kind: 'Download', current: null, compatibleBaselines: ['B9', '*'] });
		expect(r.ok).toBe(true);
	});

	it('treats an empty list as any baseline', () => {
		const r = transition({ ...base, kind: 'Download', current: null, compatibleBaselines: [] });
		expect(r.ok).toBe(true);
	});

	it.each(['Download', 'DownloadInstall', 'DownloadInstallInactive'] as const)(
		'rejects %s of an incompatible package with 1413',
		(kind) => {
			const r = transition({ ...base, kind, current: null, compatibleBaselines: ['B0', 'B2'] });
			expect(r.ok).toBe(false);
			if (r.ok) return;
			expect(r.error.resultCode).toBe(1413);
			expect(r.error.reason).toBe('unsupported-baseline');
			expect(r.error.message).toContain(ID);
		}
	);

	it('rejects an incompatible Update with 1413', () => {
		const r = transition({ ...base, kind: 'Update', current: STATES.running, compatibleBaselines: ['B2'] });
		expect(!r.ok && r.error.resultCode).toBe(1413);
	});

	it('checks the baseline before the component state', () => {
		// An installed component would otherwise give 1459; the baseline check comes first.
		const r = transition({ ...base, kind: 'DownloadInstall', current: STATES.stopped, compatibleBaselines: ['B2'] });
		expect(!r.ok && r.error.reason).toBe('unsupported-baseline');
	});

	it('does not apply to operations that fetch no package', () => {
		const r = transition({ ...base, kind: 'Install', current: STATES.delivered, compatibleBaselines: ['B2'] });
		expect(r.ok).toBe(true);
		const s = transition({ ...base, kind: 'Start', current: STATES.stopped, compatibleBaselines: ['B2'] });
		expect(s.ok).toBe(true);
	});
});

describe('transition: versions', () => {
	it.each(['Download', 'DownloadInstall', 'DownloadInstallInactive', 'Update'] as const)(
		'%s without a version is 1400 missing-version',
		(kind) => {
			for (const targetVersion of [undefined, '', '  ']) {
				const r = transition({ kind, current: STATES.stopped, componentId: ID, targetVersion, deviceBaseline: 'B1' });
				expect(r.ok).toBe(false);
				if (r.ok) return;
				expect(r.error.resultCode).toBe(1400);
				expect(r.error.reason).toBe('missing-version');
			}
		}
	);

	it('Update to the installed version is 1460 already-at-version', () => {
		const r = transition({ kind: 'Update', current: STATES.running, componentId: ID, targetVersion: 'v1', deviceBaseline: 'B1' });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error.resultCode).toBe(1460);
		expect(r.error.reason).toBe('already-at-version');
	});

	it('Install keeps the delivered version and ignores any target version', () => {
		const r = transition({ kind: 'Install', current: STATES.delivered, componentId: ID, targetVersion: 'v9', deviceBaseline: 'B1' });
		expect(r.ok && r.value.next).toEqual({ stage: 'deployed', componentId: ID, version: 'v1', state: 'Active', operational: 'Stopped' });
	});

	it('does not mutate the current state', () => {
		const current = deployed('Active', 'Running');
		const copy = structuredClone(current);
		transition({ kind: 'Update', current, componentId: ID, targetVersion: 'v2', deviceBaseline: 'B1' });
		transition({ kind: 'Stop', current, componentId: ID, deviceBaseline: 'B1' });
		expect(current).toEqual(copy);
	});
});

describe('allowedOperations', () => {
	it('absent: only the operations that bring a package', () => {
		expect(allowedOperations(null)).toEqual(['Download', 'DownloadInstall', 'DownloadInstallInactive']);
	});

	it('delivered: re-download, install or remove', () => {
		expect(allowedOperations(STATES.delivered)).toEqual([
			'Download',
			'DownloadInstall',
			'DownloadInstallInactive',
			'Install',
			'InstallInactive',
			'Remove'
		]);
	});

	it('inactive: update, remove, activate', () => {
		expect(allowedOperations(STATES.inactive)).toEqual(['Update', 'Remove', 'Activate']);
	});

	it('running: update, remove, deactivate, stop', () => {
		expect(allowedOperations(STATES.running)).toEqual(['Update', 'Remove', 'Deactivate', 'Stop']);
	});

	it('stopped: update, remove, deactivate, start', () => {
		expect(allowedOperations(STATES.stopped)).toEqual(['Update', 'Remove', 'Deactivate', 'Start']);
	});

	it('shutting down: update, remove, deactivate', () => {
		expect(allowedOperations(STATES.shuttingDown)).toEqual(['Update', 'Remove', 'Deactivate']);
	});

	it('never offers Inventory', () => {
		for (const s of Object.values(STATES)) expect(allowedOperations(s)).not.toContain('Inventory');
	});
});
