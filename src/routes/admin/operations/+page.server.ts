/**
 * Operations of the current MA: the recent ones, and (operators and owners) a minimal form to start one.
 * The admin UI issue replaces this with the full console; the rule stays: reading needs 'read' on
 * 'operation', starting needs 'operate' (viewers get 403 from the server, not only a hidden button).
 */
import { fail } from '@sveltejs/kit';
import { appContext } from '$lib/server/app-context';
import { requireAccess } from '$lib/server/auth/guard';
import { parse } from '$lib/contract/common';
import { CreateOperations } from '$lib/contract/rest';
import { ERROR_CODES } from '$lib/contract/errors';
import { OPERATION_KINDS } from '$lib/core/operations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'operation');
	const ctx = appContext();
	return {
		operations: ctx.services.operations.list(maId, { limit: 50 }),
		devices: ctx.services.devices.list(maId).map((d) => ({ id: d.id, label: `${d.manufacturer} ${d.model}`.trim() || d.id })),
		kinds: OPERATION_KINDS
	};
};

export const actions: Actions = {
	start: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		const form = await request.formData();
		const componentId = String(form.get('componentId') ?? '').trim();
		const body = parse(CreateOperations, {
			deviceIds: [String(form.get('deviceId') ?? '')],
			operations: [{ kind: String(form.get('kind') ?? ''), ...(componentId ? { componentId } : {}) }],
			consentMode: String(form.get('consentMode') ?? 'confirm'),
			intent: String(form.get('intent') ?? '')
		});
		if (!body.ok) return fail(400, { error: body.issues.map((i) => `${i.path}: ${i.message}`).join('; ') });
		const r = appContext().services.operations.create(maId, { type: 'admin', id: actor.id }, body.value);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		return { message: `Operation queued (correlator ${r.value.operations[0]?.correlator}).` };
	}
};
