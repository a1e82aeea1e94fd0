/**
 * An MA's settings (JSON in management_authorities.settings), read with defaults so that an old or
 * partial value never breaks a request.
 */
import * as v from 'valibot';
import { CONSENT_MODES, OPERATION_KINDS, type ConsentMode, type OperationKind } from '../../core';

export type MaSettings = {
	/** The consent modes this MA's operations may use (SCOMO-USA-5: silent only where policy allows). */
	allowedConsentModes: ConsentMode[];
	/** SCOMO-Device-06: approve device requests without an administrator. */
	autoApproveDeviceRequests: boolean;
	/** SCOMO-SEC-02: operation kinds an administrator's passkey must approve (docs/security.md). */
	highRiskKinds: OperationKind[];
	/** SCOMO-SEC-02: a batch sent to more devices than this needs an administrator's passkey too. */
	highRiskFanout: number;
};

export const DEFAULT_MA_SETTINGS: MaSettings = {
	allowedConsentModes: ['silent', 'notify', 'confirm'],
	autoApproveDeviceRequests: false,
	highRiskKinds: ['Remove'],
	highRiskFanout: 100
};

const SettingsSchema = v.object({
	allowedConsentModes: v.optional(v.array(v.picklist(CONSENT_MODES))),
	autoApproveDeviceRequests: v.optional(v.boolean()),
	highRiskKinds: v.optional(v.array(v.picklist(OPERATION_KINDS))),
	highRiskFanout: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)))
});

export function parseMaSettings(json: string | null | undefined): MaSettings {
	let raw: unknown = {};
	try {
		raw = JSON.parse(json ?? '{}');
	} catch {
		raw = {};
	}
	const r = v.safeParse(SettingsSchema, raw);
	if (!r.success) return { ...DEFAULT_MA_SETTINGS };
	return {
		allowedConsentModes: r.output.allowedConsentModes ?? DEFAULT_MA_SETTINGS.allowedConsentModes,
		autoApproveDeviceRequests: r.output.autoApproveDeviceRequests ?? DEFAULT_MA_SETTINGS.autoApproveDeviceRequests,
		highRiskKinds: r.output.highRiskKinds ?? DEFAULT_MA_SETTINGS.highRiskKinds,
		highRiskFanout: r.output.highRiskFanout ?? DEFAULT_MA_SETTINGS.highRiskFanout
	};
}
