/**
 * One component of the current MA: its versions, how many devices hold each (counted in SQL), and bounded
 * pages of devices found with the devices filter: a page of holders (keyset cursor in the URL), and the
 * first devices an Install or an Update could take, for the operation dialog. The whole fleet is never
 * read; the filtered devices list (linked) runs an operation on every matching device.
 */
import { error } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf } from '$lib/admin-ui/fleet.server';
import { compareVersions } from '$lib/core/semver';
import type { DeviceView } from '$lib/contract/admin-protocol';
import type { AppContext } from '$lib/server/app-context';
import type { PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';

const PAGE_SIZE = 50;
/** Devices offered in the dialog at most; more are reached through the filtered devices list. */
const PICKS = 50;

const quoted = (s: string) => `"${s.replace(/["\\]/g, '')}"`;

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'package', params.componentId);
	depends('admin:components');
	const app = locals.app;
	const pkg = app.services.packages.get(maId, params.componentId);
	if (!pkg.ok) error(404, { message: 'Component not found', code: 'not_found' });
	const versions = [...pkg.value.versions].sort((a, b) => compareVersions(b.version, a.version));
	const id = params.componentId;
	const c = `component[${id}]`;
	const filters = {
		holders: `${c}.version == "*"`,
		without: `${c}.stage != deployed`,
		behind: versions[0] ? `${c}.stage == deployed and ${c}.version < ${quoted(versions[0].version)}` : null
	};
	const cursor = url.searchParams.get('cursor') ?? '';
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? app.services.devices.page(maId, { filter: filters.holders, limit: PAGE_SIZE, cursor }) : null;
	const holders = paged?.ok ? paged.value : pageOf(app, maId, filters.holders, PAGE_SIZE);
	const without = pageOf(app, maId, filters.without, PICKS);
	const behind = filters.behind ? pageOf(app, maId, filters.behind, PICKS) : { items: [], total: 0, nextCursor: null };
	const row = (d: DeviceView) => ({
		id: d.id,
		label: deviceTitle(d),
		online: d.online,
		baseline: d.baselineBuildId,
		item: app.services.inventory.listForMa(d.id, maId).find((i) => i.componentId === id) ?? null
	});
	return {
		pkg: { ...pkg.value, versions },
		deviceCount: pageOf(app, maId, '', 1).total,
		holdersByVersion: Object.fromEntries(app.services.inventory.holdersByVersion(maId, id)),
		// One page of the devices holding it (the page applies inventory:changed to them live).
		holders: { items: holders.items.map(row), total: holders.total, nextCursor: holders.nextCursor, paged: paged?.ok === true },
		// The first devices an Install or an Update could take, and how many in all (the filter links to the rest).
		without: { items: without.items.map(row), total: without.total, filter: filters.without },
		behind: { items: behind.items.map(row), total: behind.total, filter: filters.behind },
		components: componentChoices(app, maId),
		consentModes: consentModesOf(app, maId)
	};
};

function pageOf(app: AppContext, maId: string, filter: string, limit: number) {
	const r = app.services.devices.page(maId, { filter, limit });
	return r.ok ? r.value : { items: [], total: 0, nextCursor: null };
}
