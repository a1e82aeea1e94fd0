/**
 * How an operation reads to the END USER of a device (and to the administrator previewing the prompt):
 * which permissions an operation really asks for, and an outcome in plain words instead of a SCOMO
 * result code ("1200 Successful"). Pure; the device app and the console's prompt preview share it.
 */
import type { OperationKind } from './operations';
import { RC } from './result-codes';

/**
 * Only what installs or replaces a component grants it permissions; Stop, Remove, Deactivate... take
 * nothing new, so their prompt lists none (a Stop prompt listing "Connect to the internet" misleads).
 */
const GRANTS: ReadonlySet<OperationKind> = new Set(['DownloadInstall', 'DownloadInstallInactive', 'Install', 'InstallInactive', 'Update']);

export const asksPermissions = (kind: OperationKind | string): boolean => GRANTS.has(kind as OperationKind);

/** What the user reads about an outcome: no numbers, no SCOMO names. */
export function plainOutcome(code: number | null | undefined): string {
	if (code === null || code === undefined) return 'Not finished yet';
	if (code === RC.Successful) return 'Done';
	switch (code) {
		case RC.UserCancelled:
			return 'You said no; nothing was changed';
		case RC.Cancelled:
			return 'Withdrawn by the organisation before it started';
		case RC.OperationExpired:
		case RC.CommandExpired:
			return 'Not done: it was not answered in time';
		case RC.DownloadFailed:
		case RC.AlternateDownloadServerError:
		case RC.AlternateDownloadServerUnavailable:
			return 'Not done: the download did not work';
		case RC.DownloadOutOfMemory:
		case RC.InstallOutOfMemory:
			return 'Not done: not enough space on this device';
		case RC.UnsupportedEnvironment:
			return 'Not done: this device cannot run it';
		case RC.SignatureInvalid:
		case RC.PackageValidationFailed:
		case RC.ApprovalInvalid:
		case RC.CommandReplayed:
		case RC.WrongDevice:
			return 'Refused by this device for safety: it could not be verified';
		case RC.AlreadyInstalled:
		case RC.AlreadyAtVersion:
			return 'Nothing to do: already there';
		case RC.ComponentNotFound:
			return 'Nothing to do: it is not on this device';
		case RC.ComponentCrashed:
			return 'It stopped because of an error';
		default:
			return 'Did not work';
	}
}

// ---------- an operation under way: the console's bars and the device page's say it alike ----------

const MB = 1024 * 1024;

/** "1.2 of 3.0 MB" (below a tenth of a MB in kB, so small packages do not read "0.0 of 0.0 MB"). */
export function bytesText(done: number, total: number): string {
	if (total < MB / 10) return `${Math.round(done / 1024)} of ${Math.max(1, Math.round(total / 1024))} kB`;
	return `${(done / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`;
}

/** Whole percent done, 0..100. */
export const percent = (done: number, total: number): number => (total <= 0 ? 0 : Math.min(100, Math.floor((100 * done) / total)));

/** What the device is doing, in words, for a progress event (phase and SCOMO Download status). */
export function phaseText(p: { phase: 'awaiting-consent' | 'in-progress'; downloadStatus?: number | null }): string {
	if (p.phase === 'awaiting-consent') return 'Waiting for the user';
	if (p.downloadStatus === 30) return 'Downloading';
	if (p.downloadStatus === 40) return 'Downloaded, checking';
	if (p.downloadStatus === 50) return 'Installing';
	return 'Under way';
}
