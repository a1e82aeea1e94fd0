/**
 * SCOMO 1.0 result codes, as carried in the OperationComplete Generic Alert
 * (`urn:oma:at:scomo:1.0:OperationComplete`) and stored with each operation.
 *
 * The standard numbers are used unchanged so that anyone who knows SCOMO recognises them. SCOMO leaves
 * 1250–1299 (success) and 1450–1499 (client error) to vendors; relayed start/stop (SCOMO-HLFR-5, HLFR-6),
 * inventory (SCOMO-HLFR-3), command security (SCOMO-SEC-01) and state-machine rejections use our documented
 * codes 1450–1463 in that range.
 */

export type ResultCode = number;

export type ResultCodeInfo = { code: number; name: string; description: string; vendor: boolean };

export const RC = {
	Successful: 1200,
	ClientError: 1400,
	UserCancelled: 1401,
	DownloadFailed: 1402,
	AlternateDownloadAuthFailure: 1403,
	DownloadOutOfMemory: 1404,
	InstallFailed: 1405,
	InstallOutOfMemory: 1406,
	PackageValidationFailed: 1407,
	RemoveFailed: 1408,
	ActivateFailed: 1409,
	DeactivateFailed: 1410,
	NotImplemented: 1411,
	UndefinedError: 1412,
	UnsupportedEnvironment: 1413,
	StartFailed: 1450,
	StopFailed: 1451,
	InventoryFailed: 1452,
	SignatureInvalid: 1453,
	CommandExpired: 1454,
	CommandReplayed: 1455,
	WrongDevice: 1456,
	OperationExpired: 1457,
	ComponentNotFound: 1458,
	AlreadyInstalled: 1459,
	AlreadyAtVersion: 1460,
	ComponentCrashed: 1461,
	Cancelled: 1462,
	ApprovalInvalid: 1463,
	AlternateDownloadServerError: 1500,
	AlternateDownloadServerUnavailable: 1501
} as const;

export const RESULT_CODES: readonly ResultCodeInfo[] = [
	// --- SCOMO 1.0 standard codes ---
	{ code: RC.Successful, name: 'Successful', description: 'The operation completed successfully.', vendor: false },
	{
		code: RC.ClientError,
		name: 'Client error',
		description: 'The operation failed on the device for a reason not covered by a more specific code.',
		vendor: false
	},
	{
		code: RC.UserCancelled,
		name: 'User cancelled',
		description: 'The end user refused or cancelled the operation when asked (SCOMO-USA-1, use case 5.6 A2).',
		vendor: false
	},
	{
		code: RC.DownloadFailed,
		name: 'Download failed',
		description: 'The component package could not be downloaded.',
		vendor: false
	},
	{
		code: RC.AlternateDownloadAuthFailure,
		name: 'Alternate download authentication failure',
		description: 'The alternate download server refused the device’s credentials.',
		vendor: false
	},
	{
		code: RC.DownloadOutOfMemory,
		name: 'Download failed, out of memory',
		description: 'The device ran out of storage while downloading the package.',
		vendor: false
	},
	{
		code: RC.InstallFailed,
		name: 'Install failed',
		description: 'The downloaded package could not be installed.',
		vendor: false
	},
	{
		code: RC.InstallOutOfMemory,
		name: 'Install failed, out of memory',
		description: 'The device ran out of storage while installing the package.',
		vendor: false
	},
	{
		code: RC.PackageValidationFailed,
		name: 'Failed package validation',
		description: 'The package failed its integrity or authenticity check (SCOMO-SEC-03).',
		vendor: false
	},
	{ code: RC.RemoveFailed, name: 'Remove failed', description: 'The component could not be removed.', vendor: false },
	{
		code: RC.ActivateFailed,
		name: 'Activate failed',
		description: 'The component could not be activated (or is already active).',
		vendor: false
	},
	{
		code: RC.DeactivateFailed,
		name: 'Deactivate failed',
		description: 'The component could not be deactivated (or is already inactive).',
		vendor: false
	},
	{
		code: RC.NotImplemented,
		name: 'Not implemented',
		description: 'The device does not support this operation.',
		vendor: false
	},
	{
		code: RC.UndefinedError,
		name: 'Undefined error',
		description: 'The operation failed for an unknown reason.',
		vendor: false
	},
	{
		code: RC.UnsupportedEnvironment,
		name: 'Operation rejected, unsupported environment',
		description:
			'The package is not compatible with the device’s factory software build (baseline) (SCOMO-HLFR-9).',
		vendor: false
	},
	{
		code: RC.AlternateDownloadServerError,
		name: 'Alternate download server error',
		description: 'The alternate download server returned an error.',
		vendor: false
	},
	{
		code: RC.AlternateDownloadServerUnavailable,
		name: 'Alternate download server unavailable',
		description: 'The alternate download server could not be reached.',
		vendor: false
	},
	// --- Our vendor codes, 1450–1499 "client error, vendor specified" ---
	{
		code: RC.StartFailed,
		name: 'Start failed',
		description:
			'The relayed Start command failed: the component is inactive, already running, or its handler refused (SCOMO-HLFR-5).',
		vendor: true
	},
	{
		code: RC.StopFailed,
		name: 'Stop failed',
		description: 'The relayed Stop command failed: the component is not running, or its handler refused (SCOMO-HLFR-5).',
		vendor: true
	},
	{
		code: RC.InventoryFailed,
		name: 'Inventory failed',
		description: 'The device could not produce its inventory of software components (SCOMO-HLFR-3).',
		vendor: true
	},
	{
		code: RC.SignatureInvalid,
		name: 'Command signature invalid',
		description: 'The device could not verify that the command came from the server (SCOMO-SEC-01).',
		vendor: true
	},
	{
		code: RC.CommandExpired,
		name: 'Command expired',
		description: 'The command reached the device after its validity period (SCOMO-SEC-01).',
		vendor: true
	},
	{
		code: RC.CommandReplayed,
		name: 'Command replayed',
		description: 'The device had already seen this command; the copy was refused (SCOMO-SEC-01).',
		vendor: true
	},
	{
		code: RC.WrongDevice,
		name: 'Command not addressed to this device',
		description: 'The signed command names a different device (SCOMO-SEC-01).',
		vendor: true
	},
	{
		code: RC.OperationExpired,
		name: 'Operation expired without an answer',
		description: 'Set by the server when the device did not report a result before the operation’s deadline.',
		vendor: true
	},
	{
		code: RC.ComponentNotFound,
		name: 'Component not found',
		description: 'The component (or the delivered package) the operation targets is not on the device.',
		vendor: true
	},
	{
		code: RC.AlreadyInstalled,
		name: 'Component already installed',
		description: 'The component is already installed; use Update to change its version.',
		vendor: true
	},
	{
		code: RC.AlreadyAtVersion,
		name: 'Component already at this version',
		description: 'The update targets the version that is already installed.',
		vendor: true
	},
	{
		code: RC.ComponentCrashed,
		name: 'Component crashed',
		description: 'The component failed while running (LwM2M Object 9 operational state Failed).',
		vendor: true
	},
	{
		code: RC.Cancelled,
		name: 'Operation cancelled',
		description: 'The operation was cancelled by the MA, or because the device left the MA.',
		vendor: true
	},
	{
		code: RC.ApprovalInvalid,
		name: 'Administrator approval missing or invalid',
		description:
			'A high-risk command (e.g. Remove) must carry an administrator’s passkey assertion over its signed envelope; it was missing or did not verify on the device (SCOMO-SEC-02).',
		vendor: true
	}
];

const BY_CODE: ReadonlyMap<number, ResultCodeInfo> = new Map(RESULT_CODES.map((c) => [c.code, c]));

// SCOMO 1.0 reserves these ranges for vendor-specified codes.
const inVendorSuccessRange = (code: number) => Number.isInteger(code) && code >= 1250 && code <= 1299;
const inVendorErrorRange = (code: number) => Number.isInteger(code) && code >= 1450 && code <= 1499;

export function resultCodeName(code: number): string {
	const known = BY_CODE.get(code);
	if (known) return known.name;
	if (inVendorSuccessRange(code)) return 'Successful (vendor specified)';
	if (inVendorErrorRange(code)) return 'Client error (vendor specified)';
	return 'Unknown result code';
}

/** 1200 and the vendor success range 1250–1299 count as success; everything else is a failure. */
export function isSuccessCode(code: number): boolean {
	return code === RC.Successful || inVendorSuccessRange(code);
}

/** A code we may accept from a device: a listed code, or one inside a SCOMO vendor range. */
export function isKnownResultCode(code: number): boolean {
	return BY_CODE.has(code) || inVendorSuccessRange(code) || inVendorErrorRange(code);
}
