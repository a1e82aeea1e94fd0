/**
 * The current MA's components: every version with its digest, compatible baselines, permissions and
 * signature status, how many devices run each version; operators upload new packages here (checked
 * before acceptance). Reading needs 'read' on 'package', uploading 'operate'.
 */
import { fail } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { ERROR_CODES } from '$lib/contract/errors';
import { compareVersions } from '$lib/server/services/semver';
import { checkUpload } from './upload.server';
import { audit } from '$lib/server/services/audit';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'package');
	depends('admin:components');
	const { services } = locals.app;
	const cursor = url.searchParams.get('cursor') ?? '';
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? services.packages.page(maId, { limit: PAGE_SIZE, cursor }) : null;
	const page = paged?.ok ? paged : services.packages.page(maId, { limit: PAGE_SIZE });
	const { items, total, nextCursor } = page.ok ? page.value : { items: [], total: 0, nextCursor: null };
	const running = services.inventory.deployedCounts(maId, items.map((p) => p.componentId));
	const packages = items.map((p) => ({
		...p,
		versions: [...p.versions].sort((a, b) => compareVersions(b.version, a.version)),
		devices: running.get(p.componentId) ?? 0
	}));
	return { packages, total, nextCursor, paged: paged?.ok === true, maxBundleBytes: locals.app.config.maxBundleBytes };
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
