/**
 * One device as the current MA sees it (SCOMO-ADC-3: only this MA's components): device information
 * with the baseline build ID (SCOMO-HLFR-9), the inventory (delivered and deployed components), and the
 * operations this MA ran on it; this MA's name, notes and tags of it, which operators edit (the `identity`
 * action, the same service and rules as PATCH /api/v1/devices/{id}). Another MA's device, or a missing one,
 * is 404 (requireAccess).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { deviceTitle } from '$lib/admin-ui/device-title';
import { splitTagText } from '$lib/core/device-identity';
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf } from '$lib/admin-ui/fleet.server';
import { isTerminalStatus } from '$lib/core';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device', params.id);
	depends('admin:device');
	const ctx = locals.app;
	const found = ctx.services.devices.get(maId, params.id);
	if (!found.ok) error(404, { message: 'Device not found', code: 'not_found' });
	const operations = ctx.services.operations.list(maId, { deviceId: params.id, limit: 100 });
	return {
		device: found.value.device,
		inventory: found.value.inventory,
		groups: ctx.services.groups.staticGroupsOf(maId, params.id),
		operations,
		// How far the unfinished ones got lately (download bytes are relayed live, never stored).
		progress: ctx.services.operations.progressOf(operations.filter((o) => !isTerminalStatus(o.status)).map((o) => o.id)),
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId),
		now: ctx.clock()
	};
};

export const actions: Actions = {
	/** Name, notes and tags (one text field: comma- or line-separated `key` or `key=value`). */
	identity: async ({ locals, url, params, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'device', params.id);
		const form = await request.formData();
		const text = (k: string) => String(form.get(k) ?? '');
		const r = locals.app.services.devices.updateIdentity(maId, { type: 'admin', id: actor.id }, params.id, {
			name: text('name'),
			notes: text('notes'),
			tags: splitTagText(text('tags'))
		});
		if (!r.ok) return fail(r.error.code === 'not_found' ? 404 : 400, { identityError: r.error.issues?.[0] ? `${capital(r.error.issues[0].path)}: ${r.error.issues[0].message}` : r.error.message });
		return { identitySaved: true };
	},
	/**
	 * Decommission from this MA (issue #17; services/decommission.ts): the administrator typed the device's name
	 * as the console shows it; checked here against the name this MA holds, then the service is asked with the
	 * device ID as its confirmation (the same as POST /api/v1/devices/{id}/decommission). Then: back to the list.
	 */
	decommission: async ({ locals, url, params, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'device', params.id);
		const typed = String((await request.formData()).get('typed') ?? '').trim();
		const found = locals.app.services.devices.get(maId, params.id);
		if (!found.ok) error(404, { message: 'Device not found', code: 'not_found' });
		if (typed !== deviceTitle(found.value.device)) return fail(400, { decommissionError: 'The name you typed is not this device’s name.' });
		const r = await locals.app.services.decommission.decommission(maId, { type: 'admin', id: actor.id }, params.id, params.id);
		if (!r.ok) return fail(r.error.code === 'not_found' ? 404 : 400, { decommissionError: r.error.message });
		redirect(303, '/admin/devices');
	}
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
