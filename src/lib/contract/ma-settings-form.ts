/**
 * The console's MA settings form (/admin/settings), as the server validates it. Checkboxes arrive as
 * booleans (present = on); the name is human text.
 */
import * as v from 'valibot';
import { CONSENT_MODES } from '../core';
import { HumanText } from './common';

export const MaSettingsForm = v.strictObject({
	name: v.pipe(v.string(), v.trim(), v.minLength(1, 'The name is required.'), HumanText(80)),
	allowedConsentModes: v.pipe(
		v.array(v.picklist(CONSENT_MODES)),
		v.minLength(1, 'Allow at least one consent mode, or no operation could run.')
	),
	autoApproveDeviceRequests: v.boolean(),
	/** Four eyes (H2): whoever created a high-risk batch may not approve it themselves. */
	fourEyes: v.boolean()
});

export type MaSettingsFormValue = v.InferOutput<typeof MaSettingsForm>;
