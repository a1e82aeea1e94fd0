/**
 * SCOMO-Device-06: what devices asked this MA for (install or update a component of its catalog),
 * waiting for an administrator, unless the MA's settings approve requests automatically. Approving
 * creates a normal operation, so the device's user still sees the consent prompt the mode asks for.
 */
import { fail } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { parse } from '$lib/contract/common';
import { DecideDeviceRequest } from '$lib/contract/rest';
import { ERROR_CODES } from '$lib/contract/errors';
import { autoApproves, consentModesOf } from '$lib/admin-ui/fleet.server';
import { issuesInWords } from '$lib/admin-ui/words';
import type { Actions, PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';
import type { AppContext } from '$lib/server/app-context';

const PAGE_SIZE = 50;

/**
 * One keyset page of the requests in a status, after the URL's cursor parameter `param`. A cursor that is not
 * one of ours (an edited link) shows the first page rather than an error page.
 */
function pageIn(services: AppContext['services'], maId: string, status: 'pending' | 'decided', cursor: string) {
	const query = { status: status === 'pending' ? 'pending' : undefined, limit: PAGE_SIZE };
	const paged = cursor ? services.deviceRequests.page(maId, { ...query, cursor }) : null;
	const page = paged?.ok ? paged : services.deviceRequests.page(maId, query);
	const { items, total, nextCursor } = page.ok ? page.value : { items: [], total: 0, nextCursor: null };
	return { items, total, nextCursor, paged: paged?.ok === true };
}

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device-request');
	depends('admin:requests');
	const { services } = locals.app;
	// Waiting requests first; "All" lists every request (decided ones with their outcome), newest first.
	const view = url.searchParams.get('view') === 'all' ? 'decided' : 'pending';
	const pending = pageIn(services, maId, 'pending', view === 'pending' ? (url.searchParams.get('cursor') ?? '') : '');
	const all = pageIn(services, maId, 'decided', view === 'decided' ? (url.searchParams.get('cursor') ?? '') : '');
	const ids = [...pending.items, ...all.items].map((r) => r.deviceId);
	return {
		pending,
		all,
		devices: services.devices.byIds(maId, ids).map((d) => ({ id: d.id, label: deviceTitle(d) })),
		autoApprove: autoApproves(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId)
	};
};

export const actions: Actions = {
	decide: async ({ locals, url, request }) => {
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const { actor, maId } = requireAccess(locals, url, 'operate', 'device-request', id);
		const body = parse(DecideDeviceRequest, {
			decision: String(form.get('decision') ?? ''),
			consentMode: String(form.get('consentMode') ?? 'confirm'),
			message: String(form.get('message') ?? '').trim()
		});
		if (!body.ok) return fail(400, { id, error: issuesInWords(body.issues) });
		const r = locals.app.services.deviceRequests.decide(maId, { type: 'admin', id: actor.id }, id, body.value);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { id, error: r.error.message });
		return {
			id,
			message: r.value.operation ? `Approved: operation ${r.value.operation.correlator} queued.` : 'Refused; the device was told.',
			batchId: r.value.operation?.batchId ?? null
		};
	}
};
