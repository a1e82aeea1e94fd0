/**
 * The current MA's settings (owners only: 'manage' on 'settings'): its name, the consent modes its
 * operations may use (SCOMO-USA-5: silent only where the MA allows it), and automatic approval of device
 * requests (SCOMO-Device-06). Saved through the MA service, which audits the change.
 */
import { fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { appContext } from '$lib/server/app-context';
import { requireAccess } from '$lib/server/auth/guard';
import { audit } from '$lib/server/auth/audit-log';
import { managementAuthorities } from '$lib/server/db/schema';
import { HumanText } from '$lib/contract/common';
import { CONSENT_MODES, type ConsentMode } from '$lib/core/states';
import type { Actions, PageServerLoad } from './$types';

const MaName = v.pipe(v.string(), v.trim(), v.minLength(1, 'The name is required.'), HumanText(80));

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'manage', 'settings');
	const ma = appContext().services.mas.get(maId);
	return { ma: ma ? { name: ma.name, settings: ma.settings } : null, consentModes: CONSENT_MODES };
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'settings');
		const form = await request.formData();
		const name = v.safeParse(MaName, String(form.get('name') ?? ''));
		if (!name.success) return fail(400, { error: name.issues[0].message });
		const modes = form.getAll('allowedConsentModes').map(String);
		const allowed = CONSENT_MODES.filter((m) => modes.includes(m)) as ConsentMode[];
		if (allowed.length === 0) return fail(400, { error: 'Allow at least one consent mode, or no operation could run.' });
		const autoApprove = form.get('autoApproveDeviceRequests') === 'on';

		const ctx = appContext();
		const before = ctx.services.mas.get(maId);
		if (!before) return fail(404, { error: 'Management Authority not found.' });
		const saved = ctx.services.mas.updateSettings(maId, { type: 'admin', id: actor.id }, {
			allowedConsentModes: allowed,
			autoApproveDeviceRequests: autoApprove
		});
		if (!saved.ok) return fail(400, { error: saved.error.message });
		if (name.output !== before.name) {
			const now = ctx.clock();
			ctx.store.db.transaction((tx) => {
				tx.update(managementAuthorities).set({ name: name.output }).where(eq(managementAuthorities.id, maId)).run();
				audit(tx, { maId, actor, action: 'settings.update', target: { type: 'ma', id: maId }, outcome: 'ok', detail: { name: { from: before.name, to: name.output } } }, now);
			});
		}
		return { message: 'Settings saved.' };
	}
};
