/**
 * The current MA's components: every version with its digest, compatible baselines, permissions and
 * signature status, how many devices run each version; operators upload new packages here (checked
 * before acceptance). Reading needs 'read' on 'package', uploading 'operate'.
 */
import { fail } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { ERROR_CODES } from '$lib/contract/errors';
import { fleetOf } from '$lib/admin-ui/fleet.server';
import { compareVersions } from '$lib/server/services/semver';
import { checkUpload } from './upload.server';
import { audit } from '$lib/server/services/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'package');
	depends('admin:components');
	const { devices, inventory } = fleetOf(locals.app, maId);
	const running = new Map<string, number>();
	for (const d of devices)
		for (const i of inventory[d.id] ?? []) if (i.stage === 'deployed') running.set(i.componentId, (running.get(i.componentId) ?? 0) + 1);
	const packages = locals.app.services.packages
		.list(maId)
		.map((p) => ({
			...p,
			versions: [...p.versions].sort((a, b) => compareVersions(b.version, a.version)),
			devices: running.get(p.componentId) ?? 0
		}));
	return { packages, maxBundleBytes: locals.app.config.maxBundleBytes };
};

export const actions: Actions = {
	upload: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'package');
		const ctx = locals.app;
		const checked = await checkUpload(await request.formData(), ctx.config.maxBundleBytes);
		if (!checked.ok) {
			// Refused uploads belong in the audit log too (who tried what, and why it was refused).
			audit(ctx.store.db, ctx.clock(), { maId, actor: { type: 'admin', id: actor.id }, action: 'package.upload', targetType: 'package', outcome: 'refused', detail: { field: checked.field, reason: checked.error } });
			return fail(422, { error: checked.error, field: checked.field });
		}
		const r = ctx.services.packages.upload(maId, { type: 'admin', id: actor.id }, {
			manifest: checked.manifest,
			bundle: checked.bundle.toString('base64'),
			encoding: 'base64'
		});
		if (!r.ok) {
			audit(ctx.store.db, ctx.clock(), { maId, actor: { type: 'admin', id: actor.id }, action: 'package.upload', targetType: 'package', outcome: 'refused', detail: { reason: r.error.message } });
			return fail(ERROR_CODES[r.error.code].status, { error: r.error.message, field: 'form' as const });
		}
		return { uploaded: r.value };
	}
};
