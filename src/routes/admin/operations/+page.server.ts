/**
 * Operations of the current MA: the recent ones (filtered by status or device), and the actions every
 * console page posts to: `create` (one operation or a sequence on devices or on all devices matching a
 * filter, SCOMO-ADC-2), `cancel`, and the simple `start` form. The rule: reading needs 'read' on
 * 'operation', anything else 'operate' (viewers get 403 from the server, not only a hidden button).
 */
import { fail } from '@sveltejs/kit';
import { appContext } from '$lib/server/app-context';
import { requireAccess } from '$lib/server/auth/guard';
import { parse } from '$lib/contract/common';
import { CreateOperations } from '$lib/contract/rest';
import { ERROR_CODES } from '$lib/contract/errors';
import { OPERATION_KINDS, OPERATION_STATUSES } from '$lib/core';
import { componentChoices, consentModesOf, matchingDeviceIds } from '$lib/admin-ui/fleet.server';
import { issuesInWords } from '$lib/admin-ui/words';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'operation');
	depends('admin:operations');
	const ctx = appContext();
	const status = url.searchParams.get('status') ?? '';
	const deviceId = url.searchParams.get('device') ?? '';
	const devices = ctx.services.devices.list(maId);
	return {
		operations: ctx.services.operations.list(maId, {
			limit: 100,
			...((OPERATION_STATUSES as readonly string[]).includes(status) ? { status } : {}),
			...(devices.some((d) => d.id === deviceId) ? { deviceId } : {})
		}),
		filter: { status, deviceId },
		devices: devices.map((d) => ({ id: d.id, label: `${d.manufacturer} ${d.model}`.trim() || d.id, online: d.online })),
		kinds: OPERATION_KINDS,
		statuses: OPERATION_STATUSES,
		components: componentChoices(maId),
		consentModes: consentModesOf(maId)
	};
};

export const actions: Actions = {
	start: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		const form = await request.formData();
		const componentId = String(form.get('componentId') ?? '').trim();
		const version = String(form.get('version') ?? '').trim();
		const body = parse(CreateOperations, {
			deviceIds: [String(form.get('deviceId') ?? '')],
			operations: [{ kind: String(form.get('kind') ?? ''), ...(componentId ? { componentId } : {}), ...(version ? { version } : {}) }],
			consentMode: String(form.get('consentMode') ?? 'confirm'),
			intent: String(form.get('intent') ?? '')
		});
		if (!body.ok) return fail(400, { error: issuesInWords(body.issues) });
		const r = appContext().services.operations.create(maId, { type: 'admin', id: actor.id }, body.value);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		const op = r.value.operations[0];
		// Early 1413: say now that the device will most likely refuse it (it still decides).
		const warning = r.value.warnings[0] ? ` Warning: ${r.value.warnings[0].message}` : '';
		return { message: `Operation queued (correlator ${op?.correlator}).${warning}`, batchId: r.value.batchId, warnings: r.value.warnings };
	},

	/** One batch: `steps` (JSON array of {kind, componentId?, version?}), devices by id or by `filter`. */
	create: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		const form = await request.formData();
		let steps: unknown;
		try {
			steps = JSON.parse(String(form.get('steps') ?? '[]'));
		} catch {
			return fail(400, { error: 'The steps could not be read; reload the page and try again.' });
		}
		const filter = form.get('filter');
		const deviceIds = filter === null ? form.getAll('deviceId').map(String) : matchingDeviceIds(maId, String(filter));
		if (deviceIds.length === 0) return fail(400, { error: 'No device is selected (or none matches the filter any more).' });
		const body = parse(CreateOperations, {
			deviceIds,
			operations: steps,
			consentMode: String(form.get('consentMode') ?? ''),
			intent: String(form.get('intent') ?? '').trim()
		});
		if (!body.ok) return fail(400, { error: issuesInWords(body.issues) });
		const r = appContext().services.operations.create(maId, { type: 'admin', id: actor.id }, body.value);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		return {
			batchId: r.value.batchId,
			operations: r.value.operations.length,
			devices: new Set(body.value.deviceIds).size,
			// SCOMO-SEC-02: a high-risk batch (e.g. Remove) waits for an administrator's passkey before it is relayed.
			approval: r.value.approval ?? 'not-required',
			// Early 1413: the devices whose baseline the package excludes (they still check and answer).
			warnings: r.value.warnings.slice(0, 50),
			warningCount: r.value.warnings.length
		};
	},

	/** Cancel an operation that has not started on its device (queued or delivered): ends with 1462. */
	cancel: async ({ locals, url, request }) => {
		const form = await request.formData();
		const correlator = String(form.get('correlator') ?? '');
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation', correlator);
		const r = appContext().services.operations.cancel(maId, { type: 'admin', id: actor.id }, correlator);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		return {
			message: r.value.cancelRequestedAt ? `Operation ${correlator} cancelled: the device is withdrawing it.` : `Operation ${correlator} cancelled.`
		};
	}
};
