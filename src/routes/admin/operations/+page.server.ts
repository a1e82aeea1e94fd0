/**
 * Operations of the current MA, newest first one keyset page at a time (filtered by status or device; filters and
 * cursor are query parameters, so a page is a link), and the actions every
 * console page posts to: `create` (one operation or a sequence on devices or on all devices matching a
 * filter, SCOMO-ADC-2), `cancel`, and the simple `start` form. The rule: reading needs 'read' on
 * 'operation', anything else 'operate' (viewers get 403 from the server, not only a hidden button).
 */
import { fail } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { parse } from '$lib/contract/common';
import { CreateOperations } from '$lib/contract/rest';
import { ERROR_CODES } from '$lib/contract/errors';
import { OPERATION_KINDS, OPERATION_STATUSES } from '$lib/core';
import { componentChoices, consentModesOf, matchingDeviceIds } from '$lib/admin-ui/fleet.server';
import { formError } from '$lib/admin-ui/words';
import { audit } from '$lib/server/services/audit';
import type { ValidationIssue } from '$lib/contract/common';
import type { Actions, PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';
import { lookUpDevice } from '$lib/admin-ui/device-lookup.server';

const PAGE_SIZE = 100;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'operation');
	depends('admin:operations');
	const ctx = locals.app;
	const status = url.searchParams.get('status') ?? '';
	// The device filter is an ID or (part of) a name, looked up in SQL (no drop-down of the whole fleet).
	const deviceRef = (url.searchParams.get('device') ?? '').slice(0, 200);
	const cursor = url.searchParams.get('cursor') ?? '';
	const lookup = lookUpDevice(ctx, maId, deviceRef);
	const filter = {
		...((OPERATION_STATUSES as readonly string[]).includes(status) ? { status } : {}),
		...(lookup.device ? { deviceId: lookup.device.id } : {})
	};
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? ctx.services.operations.page(maId, { ...filter, limit: PAGE_SIZE, cursor }) : null;
	const page = paged?.ok ? paged : ctx.services.operations.page(maId, { ...filter, limit: PAGE_SIZE });
	const { items, total, nextCursor } = page.ok ? page.value : { items: [], total: 0, nextCursor: null };
	return {
		operations: items,
		total,
		nextCursor,
		paged: paged?.ok === true,
		filter: { status, device: deviceRef, deviceId: lookup.device?.id ?? '' },
		device: lookup,
		// Names for the rows of this page only.
		deviceNames: Object.fromEntries(ctx.services.devices.byIds(maId, items.map((o) => o.deviceId)).map((d) => [d.id, deviceTitle(d)])),
		kinds: OPERATION_KINDS,
		statuses: OPERATION_STATUSES,
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId)
	};
};

/**
 * The steps of a posted form: `kind`, `componentId` and `version` repeated once per step, in order (plain
 * form fields, so the same form works with and without JavaScript).
 */
function stepsOf(form: FormData) {
	const kinds = form.getAll('kind').map(String);
	const components = form.getAll('componentId').map(String);
	const versions = form.getAll('version').map(String);
	return kinds.map((kind, i) => {
		const componentId = (components[i] ?? '').trim();
		const version = (versions[i] ?? '').trim();
		return { kind, ...(componentId ? { componentId } : {}), ...(version ? { version } : {}) };
	});
}

/** The service's refusal, in the form's words and at its field. */
function refused(e: { code: keyof typeof ERROR_CODES; message: string; issues?: ValidationIssue[] }) {
	const field = e.issues?.length ? undefined : /device/.test(e.message) ? 'devices' : /version/.test(e.message) ? 'version' : /consent mode/.test(e.message) ? 'consentMode' : 'form';
	const words: Partial<Record<string, string>> = {
		devices: 'One of the devices is no longer enrolled with this Management Authority; reload the page and choose again.',
		version: 'That version of the component does not exist (any more); choose another version.',
		consentMode: 'This way of asking the user is turned off in Settings; choose another.'
	};
	return fail(ERROR_CODES[e.code].status, field ? { error: words[field] ?? e.message, field } : formError(e.issues, e.message));
}

export const actions: Actions = {
	/** One batch: its steps (see stepsOf), devices by `deviceId` (repeated) or every device matching `filter`. */
	create: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		const form = await request.formData();
		const filter = form.get('filter');
		const deviceRef = form.get('deviceRef');
		let deviceIds = filter === null ? form.getAll('deviceId').map(String).filter(Boolean) : matchingDeviceIds(locals.app, maId, String(filter));
		if (deviceRef !== null && filter === null && deviceIds.length === 0) {
			// The operations page's device field: one device by ID or name; several matches are named back.
			const found = lookUpDevice(locals.app, maId, String(deviceRef));
			if (!found.device && found.matches.length > 0) {
				const names = found.matches.slice(0, 5).map((d) => d.label).join(', ');
				return fail(400, { error: `${found.matches.length + found.more} devices match “${String(deviceRef).trim()}” (${names}${found.matches.length + found.more > 5 ? ', …' : ''}): type more of the name, or the device ID.`, field: 'devices' as const });
			}
			deviceIds = found.device ? [found.device.id] : [];
		}
		if (deviceIds.length === 0) return fail(400, { error: 'Choose at least one device (none is selected, or none matches the filter any more).', field: 'devices' as const });
		const steps = stepsOf(form);
		if (steps.length === 0) return fail(400, { error: 'Choose an operation.', field: 'steps' as const });
		const body = parse(CreateOperations, {
			deviceIds,
			operations: steps,
			consentMode: String(form.get('consentMode') ?? ''),
			intent: String(form.get('intent') ?? '').trim()
		});
		const ctx = locals.app;
		// Refused requests are audited too: who tried what, and why it was refused.
		const auditRefusal = (reason: string) =>
			audit(ctx.store.db, ctx.clock(), { maId, actor: { type: 'admin', id: actor.id }, action: 'operations.create', targetType: 'batch', outcome: 'refused', detail: { kind: steps.map((s) => s.kind).join(', '), reason } });
		if (!body.ok) {
			const e = formError(body.issues, 'The operation could not be read.');
			auditRefusal(e.error);
			return fail(400, e);
		}
		const r = ctx.services.operations.create(maId, { type: 'admin', id: actor.id }, body.value);
		if (!r.ok) {
			auditRefusal(r.error.message);
			return refused(r.error);
		}
		const approval = r.value.approval ?? 'not-required';
		const devices = new Set(body.value.deviceIds).size;
		return {
			batchId: r.value.batchId,
			operations: r.value.operations.length,
			devices,
			// SCOMO-SEC-02: a high-risk batch (e.g. Remove) waits for an administrator's passkey before it is relayed.
			approval,
			message:
				approval === 'pending'
					? 'Saved; it waits for an approval under Approvals before any device runs it.'
					: `Sent to ${devices} device${devices === 1 ? '' : 's'}.`,
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
		const r = locals.app.services.operations.cancel(maId, { type: 'admin', id: actor.id }, correlator);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		return {
			message: r.value.cancelRequestedAt ? `Operation ${correlator} cancelled: the device is withdrawing it.` : `Operation ${correlator} cancelled.`
		};
	}
};
