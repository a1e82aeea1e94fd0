/**
 * A device filter typed by a person (or saved in a dynamic group) as the SQL condition of the MA's devices
 * list: parsed by the core's one parser, its group names resolved against the MA's groups (the core expands
 * dynamic groups, refuses unknown names and cycles), then translated (repos/device-list.ts). Every refusal is
 * invalid_request with the 0-based `position` where the filter went wrong, for REST and the console alike.
 */
import { err, ok } from '../../core';
import { parseDeviceFilter, type FilterError, type FilterNode } from '../../core/device-filter';
import { expandGroups, namesGroups, type GroupDefinition, type GroupLookup } from '../../core/device-filter-groups';
import * as deviceList from '../db/repos/device-list';
import * as groupsRepo from '../db/repos/groups';
import type { Q } from '../db/repos/types';
import type { ServiceDeps } from './deps';
import type { Outcome, ServiceError } from './errors';

const usesOnline = (n: FilterNode): boolean =>
	n.type === 'compare' ? n.field.kind === 'online' : n.type === 'not' ? usesOnline(n.operand) : usesOnline(n.left) || usesOnline(n.right);

/** A group row as the core's resolver reads it. */
export const groupDefinition = (r: groupsRepo.GroupRow): GroupDefinition =>
	r.kind === 'dynamic' ? { id: r.id, name: r.name, kind: 'dynamic', filter: r.filter ?? '' } : { id: r.id, name: r.name, kind: 'static' };

/** The MA's groups by name, looked up as the filter names them (each name once). */
export function groupLookup(q: Q, maId: string): GroupLookup {
	const seen = new Map<string, GroupDefinition | undefined>();
	return (name) => {
		const k = name.toLowerCase();
		if (!seen.has(k)) {
			const r = groupsRepo.findGroupByName(q, maId, name);
			seen.set(k, r ? groupDefinition(r) : undefined);
		}
		return seen.get(k);
	};
}

/** A filter refusal as the API answers it, under `path` (the query's or the body's field). */
export function filterRefusal(e: FilterError, path = 'filter'): ServiceError {
	return { code: 'invalid_request', message: `${path}: ${e.message} (at character ${e.position + 1})`, issues: [{ path, message: e.message }], position: e.position };
}

/**
 * Parses and resolves a filter. `within`: the groups being defined by it (a dynamic group's own filter), so a
 * way back to them is refused as a cycle; `lookup` may stand in a group's new name or filter before it is saved.
 */
export function resolveFilter(q: Q, maId: string, text: string, opts: { within?: GroupDefinition[]; lookup?: GroupLookup; path?: string } = {}): Outcome<FilterNode> {
	const parsed = parseDeviceFilter(text);
	if (!parsed.ok) return err(filterRefusal(parsed.error, opts.path));
	if (!namesGroups(parsed.value)) return ok(parsed.value);
	const x = expandGroups(parsed.value, opts.lookup ?? groupLookup(q, maId), opts.within ?? []);
	return x.ok ? x : err(filterRefusal(x.error, opts.path));
}

/** A resolved filter as SQL for this MA (the online devices bound only when the filter asks about them). */
export function whereOfNode(deps: ServiceDeps, maId: string, node: FilterNode) {
	const onlineIds = usesOnline(node) ? (deps.relay().onlineDeviceIds?.() ?? []) : [];
	return deviceList.filterSql(node, { maId, now: deps.clock(), onlineIds });
}

/** A filter text as SQL for this MA; an empty one is no condition. */
export function filterWhere(deps: ServiceDeps, maId: string, text: string | undefined) {
	if (text === undefined || text.trim() === '') return ok(undefined);
	const node = resolveFilter(deps.db, maId, text);
	return node.ok ? ok(whereOfNode(deps, maId, node.value)) : node;
}
