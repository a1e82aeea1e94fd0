/**
 * The SCOMO operations this product can ask a device to perform (Change 1: Download, Install, Update, Remove,
 * Activate, Deactivate, relayed Start/Stop and inventory requests, plus the one-step DownloadInstall and
 * DownloadInstallInactive of the SCOMO 1.0 `Download/<x>` node).
 *
 * Names are kept exactly as in the SCOMO 1.0 tree so that people who know SCOMO / OMA-DM recognise them.
 */

export const OPERATION_KINDS = [
	'Download',
	'DownloadInstall',
	'DownloadInstallInactive',
	'Install',
	'InstallInactive',
	'Update',
	'Remove',
	'Activate',
	'Deactivate',
	'Start',
	'Stop',
	'Inventory'
] as const;

export type OperationKind = (typeof OPERATION_KINDS)[number];

// A plain Set for membership: requests arrive as untrusted JSON, so the guard must accept `unknown`.
const KINDS: ReadonlySet<string> = new Set(OPERATION_KINDS);

export function isOperationKind(x: unknown): x is OperationKind {
	return typeof x === 'string' && KINDS.has(x);
}

export type OperationInfo = {
	/** Short label for buttons and lists. */
	label: string;
	/**
	 * True when the operation carries a package version to fetch or install (Download, DownloadInstall,
	 * DownloadInstallInactive, Update). Install/InstallInactive act on a package already delivered to
	 * `Inventory/Delivered`, so they carry none.
	 */
	needsPackage: boolean;
	/** False only for Inventory, which is about the whole device rather than one component (SCOMO-HLFR-3). */
	targetsComponent: boolean;
	/** One plain-English sentence telling the end user what the operation does (SCOMO-USA-4). */
	implication: string;
	/** The requirement label the operation implements. */
	requirement: string;
};

export const OPERATION_INFO: Record<OperationKind, OperationInfo> = {
	Download: {
		label: 'Download',
		needsPackage: true,
		targetsComponent: true,
		implication:
			'Downloads the component package to the device without installing it, so it can be installed later.',
		requirement: 'SCOMO-HLFR-8'
	},
	DownloadInstall: {
		label: 'Download and install',
		needsPackage: true,
		targetsComponent: true,
		implication: 'Downloads and installs the component and makes it available to run.',
		requirement: 'SCOMO-HLFR-1'
	},
	DownloadInstallInactive: {
		label: 'Download and install (inactive)',
		needsPackage: true,
		targetsComponent: true,
		implication:
			'Downloads and installs the component but keeps it inactive, so it cannot run until it is activated.',
		requirement: 'SCOMO-HLFR-1'
	},
	Install: {
		label: 'Install',
		needsPackage: false,
		targetsComponent: true,
		implication:
			'Installs the already-downloaded component package and makes the component available to run.',
		requirement: 'SCOMO-HLFR-1'
	},
	InstallInactive: {
		label: 'Install (inactive)',
		needsPackage: false,
		targetsComponent: true,
		implication:
			'Installs the already-downloaded component package but keeps it inactive until it is activated.',
		requirement: 'SCOMO-HLFR-1'
	},
	Update: {
		label: 'Update',
		needsPackage: true,
		targetsComponent: true,
		implication:
			'Replaces the installed component with a new version; if it is running it is restarted, and its settings are kept.',
		requirement: 'SCOMO-HLFR-7'
	},
	Remove: {
		label: 'Remove',
		needsPackage: false,
		targetsComponent: true,
		implication:
			'Stops the component if needed and deletes it from the device, together with the data it stored.',
		requirement: 'SCOMO-HLFR-2'
	},
	Activate: {
		label: 'Activate',
		needsPackage: false,
		targetsComponent: true,
		implication: 'Enables the installed component so that it can be started and used.',
		requirement: 'SCOMO-HLFR-4'
	},
	Deactivate: {
		label: 'Deactivate',
		needsPackage: false,
		targetsComponent: true,
		implication:
			'Stops the component if it is running and disables it, without deleting it from the device.',
		requirement: 'SCOMO-HLFR-4'
	},
	Start: {
		label: 'Start',
		needsPackage: false,
		targetsComponent: true,
		implication: 'Starts the component on the device, as if you had opened it yourself.',
		requirement: 'SCOMO-HLFR-5'
	},
	Stop: {
		label: 'Stop',
		needsPackage: false,
		targetsComponent: true,
		implication: 'Stops the running component on the device, as if you had closed it yourself.',
		requirement: 'SCOMO-HLFR-5'
	},
	Inventory: {
		label: 'Inventory',
		needsPackage: false,
		targetsComponent: false,
		implication:
			'Sends the list of this organisation’s software components on the device, with their versions and states.',
		requirement: 'SCOMO-HLFR-3'
	}
};
