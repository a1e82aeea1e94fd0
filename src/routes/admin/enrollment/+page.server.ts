/**
 * Enrollment codes of the current MA: create one (shown once, as a QR code and a link the device PWA
 * opens), list them with expiry and single use, revoke. Reading needs 'read' on 'enrollment-code',
 * creating and revoking 'operate' (the one policy, through requireAccess).
 */
import { fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { requireAccess } from '$lib/server/auth/guard';
import { parse } from '$lib/contract/common';
import { CreateEnrollmentCode } from '$lib/contract/rest';
import { ERROR_CODES } from '$lib/contract/errors';
import { issuesInWords } from '$lib/admin-ui/words';
import type { Actions, PageServerLoad } from './$types';

/** How long a new code stays valid; the contract allows 60 s to 30 days. */
const EXPIRY_CHOICES = [
	{ seconds: 3600, label: '1 hour' },
	{ seconds: 24 * 3600, label: '24 hours' },
	{ seconds: 7 * 24 * 3600, label: '7 days' },
	{ seconds: 30 * 24 * 3600, label: '30 days' }
];

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'enrollment-code');
	depends('admin:enrollment');
	const ctx = locals.app;
	const cursor = url.searchParams.get('cursor') ?? '';
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? ctx.services.enrollment.page(maId, { limit: PAGE_SIZE, cursor }) : null;
	const page = paged?.ok ? paged : ctx.services.enrollment.page(maId, { limit: PAGE_SIZE });
	const { items, total, nextCursor } = page.ok ? page.value : { items: [], total: 0, nextCursor: null };
	return { codes: items, total, nextCursor, paged: paged?.ok === true, now: ctx.clock(), expiryChoices: EXPIRY_CHOICES };
};

export const actions: Actions = {
	create: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'enrollment-code');
		const form = await request.formData();
		const body = parse(CreateEnrollmentCode, {
			label: String(form.get('label') ?? '').trim(),
			expiresInSeconds: Number(form.get('expiresInSeconds') ?? 24 * 3600)
		});
		if (!body.ok) return fail(400, { error: issuesInWords(body.issues) });
		const r = locals.app.services.enrollment.create(maId, { type: 'admin', id: actor.id }, body.value);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		// Rendered here so the page needs no QR library in the browser; the SVG is made from our own link only.
		const qrSvg = await QRCode.toString(r.value.link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
		return { created: { ...r.value, label: body.value.label, qrSvg } };
	},

	revoke: async ({ locals, url, request }) => {
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const { actor, maId } = requireAccess(locals, url, 'operate', 'enrollment-code', id);
		const r = locals.app.services.enrollment.revoke(maId, { type: 'admin', id: actor.id }, id);
		if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
		return { revoked: id };
	}
};
