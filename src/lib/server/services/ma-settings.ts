/**
 * An MA's settings (JSON in management_authorities.settings), read with defaults so that an old or
 * partial value never breaks a request.
 */
import * as v from 'valibot';
import { CONSENT_MODES, type ConsentMode } from '../../core';

export type MaSettings = {
	/** The consent modes this MA's operations may use (SCOMO-USA-5: silent only where policy allows). */
	allowedConsentModes: ConsentMode[];
	/** SCOMO-Device-06: approve device requests without an administrator. */
	autoApproveDeviceRequests: boolean;
};

export const DEFAULT_MA_SETTINGS: MaSettings = {
	allowedConsentModes: ['silent', 'notify', 'confirm'],
	autoApproveDeviceRequests: false
};

const SettingsSchema = v.object({
	allowedConsentModes: v.optional(v.array(v.picklist(CONSENT_MODES))),
	autoApproveDeviceRequests: v.optional(v.boolean())
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
		autoApproveDeviceRequests: r.output.autoApproveDeviceRequests ?? DEFAULT_MA_SETTINGS.autoApproveDeviceRequests
	};
}
