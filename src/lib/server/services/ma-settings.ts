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
	/**
	 * H2 four eyes: who may not approve a high-risk batch they created themselves. 'fanout' (default): batches
	 * to more devices than highRiskFanout; 'high-risk': every high-risk batch; 'off': nobody is stopped.
	 */
	fourEyes: FourEyes;
};

export const FOUR_EYES = ['off', 'fanout', 'high-risk'] as const;
export type FourEyes = (typeof FOUR_EYES)[number];

/** Does the four-eyes setting forbid the creator of a (high-risk) batch to approve it? */
export const needsFourEyes = (setting: FourEyes, leafCount: number, fanout: number) =>
	setting === 'high-risk' || (setting === 'fanout' && leafCount > fanout);

export const DEFAULT_MA_SETTINGS: MaSettings = {
	allowedConsentModes: ['silent', 'notify', 'confirm'],
	autoApproveDeviceRequests: false,
	highRiskKinds: ['Remove'],
	highRiskFanout: 100,
	fourEyes: 'fanout'
};

const SettingsSchema = v.object({
	allowedConsentModes: v.optional(v.array(v.picklist(CONSENT_MODES))),
	autoApproveDeviceRequests: v.optional(v.boolean()),
	highRiskKinds: v.optional(v.array(v.picklist(OPERATION_KINDS))),
	highRiskFanout: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
	fourEyes: v.optional(v.picklist(FOUR_EYES))
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
		highRiskFanout: r.output.highRiskFanout ?? DEFAULT_MA_SETTINGS.highRiskFanout,
		fourEyes: r.output.fourEyes ?? DEFAULT_MA_SETTINGS.fourEyes
	};
}
