/**
 * The devices enrolled with the current MA (SCOMO-ADC-3), one keyset page at a time in name order, filtered
 * with the device filter language (the `filter` query parameter, so a filtered list is a link), with this
 * MA's components on each device of the page. The server reads one page and counts; never the whole fleet.
 */
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf } from '$lib/admin-ui/fleet.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device');
	depends('admin:devices');
	const { services, clock } = locals.app;
	const filter = (url.searchParams.get('filter') ?? '').slice(0, 2000);
	const cursor = url.searchParams.get('cursor') ?? undefined;
	const page = services.devices.page(maId, { filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
	// Whether the MA has any device at all (the empty state differs from "nothing matches"): one COUNT.
	const all = filter.trim() || cursor ? services.devices.page(maId, { limit: 1 }) : page;
	const base = {
		filter,
		paged: cursor !== undefined,
		enrolled: all.ok ? all.value.total : 0,
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId),
		now: clock()
	};
	if (!page.ok) {
		const e = page.error;
		return { ...base, devices: [], total: 0, nextCursor: null, filterError: { message: e.issues?.[0]?.message ?? e.message, position: e.position ?? null } };
	}
	return {
		...base,
		devices: page.value.items.map((d) => ({ ...d, inventory: services.inventory.listForMa(d.id, maId) })),
		total: page.value.total,
		nextCursor: page.value.nextCursor,
		filterError: null
	};
};
