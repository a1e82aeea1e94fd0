/**
 * The state vocabularies of SCOMO, LwM2M Object 9 and this product's operation lifecycle.
 * Numbers are the SCOMO 1.0 wire values so that tree dumps and alerts look familiar.
 */

/** SCOMO 1.0 `Download/<x>/Status`. */
export const DOWNLOAD_STATUS = {
	Idle: 10,
	DownloadFailed: 20,
	DownloadProgressing: 30,
	DownloadComplete: 40,
	InstallProgressing: 50,
	InstallFailedWithData: 60,
	InstallFailedWithoutData: 70
} as const;

/** The numeric `Status` value, as it appears in the SCOMO tree. */
export type DownloadStatus = (typeof DOWNLOAD_STATUS)[keyof typeof DOWNLOAD_STATUS];
export type DownloadStatusName = keyof typeof DOWNLOAD_STATUS;

const DOWNLOAD_STATUS_VALUES: ReadonlySet<number> = new Set(Object.values(DOWNLOAD_STATUS));

export function isDownloadStatus(x: unknown): x is DownloadStatus {
	return typeof x === 'number' && DOWNLOAD_STATUS_VALUES.has(x);
}

/** SCOMO 1.0 `Inventory/Deployed/<x>/State`: 10 Inactive, 20 Active (SCOMO-HLFR-4). */
export const DEPLOYED_STATE = { Inactive: 10, Active: 20 } as const;

// The domain uses the names; the numbers are only for the SCOMO tree view.
export type DeployedState = 'Inactive' | 'Active';

export function deployedStateCode(s: DeployedState): (typeof DEPLOYED_STATE)[DeployedState] {
	return DEPLOYED_STATE[s];
}

export function deployedStateFromCode(code: number): DeployedState | null {
	if (code === DEPLOYED_STATE.Inactive) return 'Inactive';
	if (code === DEPLOYED_STATE.Active) return 'Active';
	return null;
}

/**
 * Operational state of a deployed component, as LwM2M Object 9 v1.1 (Initializing, Running, Shutting down,
 * Stopped, Failed). SCOMO 1.0 has none; we add it for the relayed Start/Stop commands (SCOMO-HLFR-5).
 */
export const OPERATIONAL_STATES = ['Initializing', 'Running', 'ShuttingDown', 'Stopped', 'Failed'] as const;
export type OperationalState = (typeof OPERATIONAL_STATES)[number];

export function isOperationalState(x: unknown): x is OperationalState {
	return typeof x === 'string' && (OPERATIONAL_STATES as readonly string[]).includes(x);
}

/**
 * How the end user is involved, as SCOMO's package UI mode / OMA-DM UI alerts:
 * silent (SCOMO-USA-5), notify (SCOMO-USA-2), confirm (SCOMO-USA-1, SCOMO-USA-3; refusal → 1401).
 */
export const CONSENT_MODES = ['silent', 'notify', 'confirm'] as const;
export type ConsentMode = (typeof CONSENT_MODES)[number];

export function isConsentMode(x: unknown): x is ConsentMode {
	return typeof x === 'string' && (CONSENT_MODES as readonly string[]).includes(x);
}

/** Lifecycle of one operation on the server, from queueing to its asynchronous result (OperationComplete). */
export const OPERATION_STATUSES = [
	'queued',
	'delivered',
	'awaiting-consent',
	'in-progress',
	'completed',
	'failed',
	'expired',
	'cancelled'
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export function isOperationStatus(x: unknown): x is OperationStatus {
	return typeof x === 'string' && (OPERATION_STATUSES as readonly string[]).includes(x);
}

// Terminal statuses never change again, so the server can stop retrying and release the correlator.
const TERMINAL: ReadonlySet<OperationStatus> = new Set(['completed', 'failed', 'expired', 'cancelled']);

export function isTerminalStatus(s: OperationStatus): boolean {
	return TERMINAL.has(s);
}
