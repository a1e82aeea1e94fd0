/**
 * The current MA's settings (owners only: 'manage' on 'settings'): its name, the consent modes its
 * operations may use (SCOMO-USA-5: silent only where the MA allows it), automatic approval of device
 * requests (SCOMO-Device-06) and four eyes on high-risk batches (H2). Validated with the contract's
 * MaSettingsForm and saved through the MA service, which audits the change.
 */
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireAccess } from '$lib/server/auth/guard';
import { audit } from '$lib/server/auth/audit-log';
import { renameMa } from '$lib/server/db/repos/mas';
import { MaSettingsForm } from '$lib/contract/ma-settings-form';
import { CONSENT_MODES } from '$lib/core/states';
import type { FourEyes } from '$lib/server/services/ma-settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'manage', 'settings');
	const ma = locals.app.services.mas.get(maId);
	return { ma: ma ? { name: ma.name, settings: ma.settings } : null, consentModes: CONSENT_MODES };
};

/**
 * The stored four-eyes rule for the checkbox: off is 'off'; on keeps a rule already on ('fanout', the
 * default for MAs that never chose, or 'high-risk'), and turning it on from off means every high-risk batch,
 * which is what the checkbox says. So saving the form for another reason never changes the rule.
 */
const fourEyesRule = (on: boolean, before: FourEyes): FourEyes => (!on ? 'off' : before === 'off' ? 'high-risk' : before);

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'settings');
		const form = await request.formData();
		const parsed = v.safeParse(MaSettingsForm, {
			name: String(form.get('name') ?? ''),
			allowedConsentModes: form.getAll('allowedConsentModes').map(String),
			autoApproveDeviceRequests: form.get('autoApproveDeviceRequests') === 'on',
			fourEyes: form.get('fourEyes') === 'on'
		});
		if (!parsed.success) return fail(400, { error: parsed.issues[0].message });
		const { name, allowedConsentModes, autoApproveDeviceRequests, fourEyes } = parsed.output;

		const ctx = locals.app;
		const before = ctx.services.mas.get(maId);
		if (!before) return fail(404, { error: 'Management Authority not found.' });
		const saved = ctx.services.mas.updateSettings(maId, { type: 'admin', id: actor.id }, {
			allowedConsentModes,
			autoApproveDeviceRequests,
			fourEyes: fourEyesRule(fourEyes, before.settings.fourEyes)
		});
		if (!saved.ok) return fail(400, { error: saved.error.message });
		if (name !== before.name) {
			const now = ctx.clock();
			ctx.store.db.transaction((tx) => {
				renameMa(tx, maId, name);
				audit(tx, now, { maId, actor, action: 'settings.update', targetType: 'ma', targetId: maId, outcome: 'ok', detail: { name: { from: before.name, to: name } } });
			});
		}
		return { message: 'Settings saved.' };
	}
};
