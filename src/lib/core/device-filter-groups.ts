/**
 * `group == "Lobby screens"` in a device filter, resolved before the filter runs: a static group becomes a
 * membership test by its ID, a dynamic group is replaced by its own saved filter (parsed and resolved the same
 * way, so a dynamic group may name other groups). Pure: the caller looks the names up (the MA's groups).
 *
 * Refused, with the position of the group's name in the filter being resolved:
 * - a name the MA has no group of;
 * - a cycle (a dynamic group that names itself, directly or through others), which would never end;
 * - a saved filter that no longer parses, or nesting deeper than MAX_GROUP_DEPTH, or an expansion larger than
 *   MAX_EXPANDED_COMPARISONS (a filter that names a group five times in five levels grows as 5^5).
 */
import { parseDeviceFilter, valueText, type FilterError, type FilterNode } from './device-filter';
import { err, ok, type Result } from './result';

export type GroupDefinition =
	| { id: string; name: string; kind: 'static' }
	| { id: string; name: string; kind: 'dynamic'; filter: string };

/** Finds the MA's group of this name (names compare ignoring case), or undefined. */
export type GroupLookup = (name: string) => GroupDefinition | undefined;

export const MAX_GROUP_DEPTH = 8;
export const MAX_EXPANDED_COMPARISONS = 5000;

class Refusal {
	constructor(readonly message: string) {}
}

/** A refusal at a character of the filter being resolved. */
class Positioned extends Refusal {
	constructor(
		message: string,
		readonly position: number
	) {
		super(message);
	}
}

type Walk = { lookup: GroupLookup; budget: { left: number } };

function expand(node: FilterNode, w: Walk, within: readonly GroupDefinition[]): FilterNode {
	switch (node.type) {
		case 'and':
		case 'or':
			return { ...node, left: expand(node.left, w, within), right: expand(node.right, w, within) };
		case 'not':
			return { ...node, operand: expand(node.operand, w, within) };
		case 'compare': {
			if (--w.budget.left < 0) throw new Refusal(`the filter grows past ${MAX_EXPANDED_COMPARISONS} comparisons once its groups are expanded`);
			if (node.field.kind !== 'group') return node;
			const name = valueText(node.value);
			const def = w.lookup(name);
			if (!def) throw new Positioned(`unknown group "${name}"`, node.field.valuePosition);
			if (def.kind === 'static') return { ...node, field: { ...node.field, groupId: def.id } };
			const at = node.field.valuePosition;
			if (within.some((g) => g.id === def.id)) {
				const path = [...within.slice(within.findIndex((g) => g.id === def.id)), def].map((g) => `"${g.name}"`).join(' → ');
				throw new Positioned(`group "${def.name}" includes itself (${path})`, at);
			}
			if (within.length >= MAX_GROUP_DEPTH) throw new Positioned(`groups nest more than ${MAX_GROUP_DEPTH} deep here`, at);
			const parsed = parseDeviceFilter(def.filter);
			if (!parsed.ok) throw new Positioned(`the filter of group "${def.name}" does not parse: ${parsed.error.message}`, at);
			let inner: FilterNode;
			try {
				inner = expand(parsed.value, w, [...within, def]);
			} catch (e) {
				// A problem inside the group's saved filter: point at where this filter names the group.
				if (e instanceof Positioned) throw new Positioned(`in group "${def.name}": ${e.message}`, at);
				throw e;
			}
			return node.op === '==' ? inner : { type: 'not', operand: inner };
		}
	}
}

/**
 * The filter with every group resolved. `within` names groups already being expanded: a dynamic group checking
 * its own new filter passes itself, so a filter that leads back to the group is refused as a cycle.
 */
export function expandGroups(node: FilterNode, lookup: GroupLookup, within: readonly GroupDefinition[] = []): Result<FilterNode, FilterError> {
	try {
		return ok(expand(node, { lookup, budget: { left: MAX_EXPANDED_COMPARISONS } }, within));
	} catch (e) {
		if (e instanceof Positioned) return err({ code: 'filter_syntax', message: e.message, position: e.position });
		if (e instanceof Refusal) return err({ code: 'filter_syntax', message: e.message, position: 0 });
		throw e;
	}
}

/** Whether a filter names any group (only then does it need the MA's groups looked up). */
export function namesGroups(node: FilterNode): boolean {
	switch (node.type) {
		case 'and':
		case 'or':
			return namesGroups(node.left) || namesGroups(node.right);
		case 'not':
			return namesGroups(node.operand);
		case 'compare':
			return node.field.kind === 'group';
	}
}
