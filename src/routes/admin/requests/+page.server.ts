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

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device-request');
	depends('admin:requests');
	const { services } = locals.app;
	const requests = services.deviceRequests.list(maId);
	return {
		pending: requests.filter((r) => r.status === 'pending'),
		decided: requests.filter((r) => r.status !== 'pending').slice(0, 50),
		devices: services.devices.list(maId).map((d) => ({ id: d.id, label: deviceTitle(d) })),
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
