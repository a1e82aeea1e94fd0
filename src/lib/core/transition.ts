/**
 * THE component state machine: given one component's current inventory entry and a requested SCOMO operation,
 * decide whether the operation is valid and, if so, the resulting entry and the ordered steps the device runtime
 * must execute.
 *
 * Why one pure function: the server uses it to refuse invalid requests before queueing them and to offer only
 * valid actions in the UI (`allowedOperations`); the device uses it to refuse invalid commands with the same
 * result codes and to know which steps to run. Both sides then agree by construction.
 */

import { err, ok, type Result } from './result';
import { OPERATION_KINDS, type OperationKind } from './operations';
import { RC } from './result-codes';
import { isLive, type ComponentState, type DeployedComponent } from './component';
import type { DeployedState } from './states';

export type TransitionInput = {
	kind: OperationKind;
	current: ComponentState | null;
	componentId: string;
	/** The package version to fetch/install, for Download, DownloadInstall, DownloadInstallInactive and Update. */
	targetVersion?: string | undefined;
	/** Baselines the package version is compatible with; '*' means any; absent or empty means any. */
	compatibleBaselines?: readonly string[] | undefined;
	/** The device's factory software build ID (SCOMO-HLFR-9). */
	deviceBaseline: string;
};

/** Stable machine-readable rejection codes; UI text and logs key on these, so never rename one. */
export type TransitionReason =
	| 'unsupported-baseline'
	| 'not-found'
	| 'not-delivered'
	| 'already-installed'
	| 'already-at-version'
	| 'already-active'
	| 'already-inactive'
	| 'not-active'
	| 'already-running'
	| 'not-running'
	| 'missing-version';

export type TransitionRejection = { resultCode: number; reason: TransitionReason; message: string };

/** One unit of work for the device runtime, executed in order. */
export type Step =
	| 'download'
	| 'verify'
	| 'install'
	| 'activate'
	| 'deactivate'
	| 'stop'
	| 'start'
	| 'remove'
	| 'report-inventory';

export type TransitionPlan = { next: ComponentState | null; steps: Step[] };

type Outcome = Result<TransitionPlan, TransitionRejection>;

const reject = (resultCode: number, reason: TransitionReason, message: string): Outcome =>
	err({ resultCode, reason, message });

const plan = (next: ComponentState | null, steps: Step[]): Outcome => ok({ next, steps });

// Operations that fetch a package version and therefore need one, and a baseline check (SCOMO-HLFR-9).
const FETCHES_PACKAGE: ReadonlySet<OperationKind> = new Set([
	'Download',
	'DownloadInstall',
	'DownloadInstallInactive',
	'Update'
]);

/** SCOMO-HLFR-9: an absent or empty list, or '*', means the package runs on any baseline. */
function baselineAccepted(compatible: readonly string[] | undefined, deviceBaseline: string): boolean {
	if (compatible === undefined || compatible.length === 0) return true;
	return compatible.includes('*') || compatible.includes(deviceBaseline);
}

function notFound(id: string, what: string): Outcome {
	return reject(RC.ComponentNotFound, 'not-found', `Component ${id} is not installed on the device; ${what}.`);
}

export function transition(input: TransitionInput): Result<TransitionPlan, TransitionRejection> {
	const { kind, current, componentId: id } = input;

	let version = '';
	if (FETCHES_PACKAGE.has(kind)) {
		// SCOMO-HLFR-9: checked first, so an incompatible package is refused whatever the component's state.
		if (!baselineAccepted(input.compatibleBaselines, input.deviceBaseline)) {
			return reject(
				RC.UnsupportedEnvironment,
				'unsupported-baseline',
				`The package of component ${id} is not compatible with this device's software build (${input.deviceBaseline}).`
			);
		}
		version = input.targetVersion?.trim() ?? '';
		if (version === '') {
			return reject(RC.ClientError, 'missing-version', `No package version was given for component ${id}.`);
		}
	}

	const deployed = current !== null && current.stage === 'deployed' ? current : null;
	const delivered = current !== null && current.stage === 'delivered' ? current : null;
	const alreadyInstalled = (): Outcome =>
		reject(
			RC.AlreadyInstalled,
			'already-installed',
			`Component ${id} is already installed; update it or remove it first.`
		);
	const installed = (v: string, state: DeployedState): DeployedComponent => ({
		stage: 'deployed',
		componentId: id,
		version: v,
		state,
		// A freshly installed component has not been started yet.
		operational: 'Stopped'
	});

	switch (kind) {
		// SCOMO-HLFR-8: fetch only; a newer download replaces a delivered package that was never installed.
		case 'Download':
			if (deployed) return alreadyInstalled();
			return plan({ stage: 'delivered', componentId: id, version }, ['download', 'verify']);

		// SCOMO-HLFR-1; 'verify' before install is SCOMO-SEC-03 (integrity of the delivered package).
		case 'DownloadInstall':
			if (deployed) return alreadyInstalled();
			return plan(installed(version, 'Active'), ['download', 'verify', 'install', 'activate']);

		case 'DownloadInstallInactive':
			if (deployed) return alreadyInstalled();
			return plan(installed(version, 'Inactive'), ['download', 'verify', 'install']);

		// SCOMO-HLFR-1: installs the package already in Inventory/Delivered, at the version that was delivered.
		case 'Install':
		case 'InstallInactive': {
			if (deployed) return alreadyInstalled();
			if (!delivered) {
				return reject(
					RC.ComponentNotFound,
					'not-delivered',
					`Component ${id} has not been downloaded to the device; download it before installing it.`
				);
			}
			return kind === 'Install'
				? plan(installed(delivered.version, 'Active'), ['install', 'activate'])
				: plan(installed(delivered.version, 'Inactive'), ['install']);
		}

		// SCOMO-HLFR-7: keeps Active/Inactive; a live component is stopped around the install and started again.
		case 'Update': {
			if (!deployed) return notFound(id, 'install it before updating it');
			if (deployed.version === version) {
				return reject(
					RC.AlreadyAtVersion,
					'already-at-version',
					`Component ${id} is already at version ${version}.`
				);
			}
			const live = isLive(deployed);
			const steps: Step[] = live
				? ['download', 'verify', 'stop', 'install', 'start']
				: ['download', 'verify', 'install'];
			// A live component ends Running after the restart; any other one (Failed, ShuttingDown) ends Stopped,
			// since the new version has not run yet.
			return plan({ ...deployed, version, operational: live ? 'Running' : 'Stopped' }, steps);
		}

		// SCOMO-HLFR-2: removes a delivered package or a deployed component; never leaves a process running.
		case 'Remove':
			if (!current) return notFound(id, 'there is nothing to remove');
			return plan(null, isLive(current) ? ['stop', 'remove'] : ['remove']);

		// SCOMO-HLFR-4
		case 'Activate':
			if (!deployed) return notFound(id, 'install it before activating it');
			if (deployed.state === 'Active') {
				return reject(RC.ActivateFailed, 'already-active', `Component ${id} is already active.`);
			}
			return plan({ ...deployed, state: 'Active' }, ['activate']);

		// SCOMO-HLFR-4: an inactive component cannot run, so it is stopped first and ends Stopped.
		case 'Deactivate':
			if (!deployed) return notFound(id, 'install it before deactivating it');
			if (deployed.state === 'Inactive') {
				return reject(RC.DeactivateFailed, 'already-inactive', `Component ${id} is already inactive.`);
			}
			return plan(
				{ ...deployed, state: 'Inactive', operational: 'Stopped' },
				isLive(deployed) ? ['stop', 'deactivate'] : ['deactivate']
			);

		// SCOMO-HLFR-5, use case 5.6 pre-condition: the component is installed and active.
		case 'Start':
			if (!deployed) return notFound(id, 'install it before starting it');
			if (deployed.state === 'Inactive') {
				return reject(
					RC.StartFailed,
					'not-active',
					`Component ${id} is inactive; activate it before starting it.`
				);
			}
			if (deployed.operational === 'Running' || deployed.operational === 'Initializing') {
				return reject(RC.StartFailed, 'already-running', `Component ${id} is already running.`);
			}
			if (deployed.operational === 'ShuttingDown') {
				// Its process is still up; starting it now would race the shutdown. Same stable reason as running.
				return reject(
					RC.StartFailed,
					'already-running',
					`Component ${id} is still shutting down; start it again once it has stopped.`
				);
			}
			// Stopped, or Failed (a restart after a crash).
			return plan({ ...deployed, operational: 'Running' }, ['start']);

		// SCOMO-HLFR-5
		case 'Stop':
			if (!deployed) return notFound(id, 'there is nothing to stop');
			if (!isLive(deployed)) {
				return reject(RC.StopFailed, 'not-running', `Component ${id} is not running.`);
			}
			return plan({ ...deployed, operational: 'Stopped' }, ['stop']);

		// SCOMO-HLFR-3: reading the inventory never changes it.
		case 'Inventory':
			return plan(current, ['report-inventory']);
	}
}

/**
 * The component-targeting operations that `transition` accepts for this state, ignoring the baseline check,
 * so the UI offers only valid actions. Asked of `transition` itself (with a version that differs from the
 * current one) rather than duplicated, so the two can never disagree.
 */
export function allowedOperations(current: ComponentState | null): OperationKind[] {
	const componentId = current?.componentId ?? 'component';
	// Any version different from the current one stands in for "a new package version".
	const targetVersion = current ? `${current.version}+next` : 'next';
	return OPERATION_KINDS.filter(
		(kind) =>
			kind !== 'Inventory' &&
			transition({ kind, current, componentId, targetVersion, deviceBaseline: '' }).ok
	);
}
