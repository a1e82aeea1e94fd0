import { describe, expect, it } from 'vitest';
import { matchesDeviceFilter, parseDeviceFilter, type FilterableDevice } from './device-filter';
import { expandGroups, MAX_GROUP_DEPTH, namesGroups, type GroupDefinition } from './device-filter-groups';

const NOW = 1_800_000_000_000;
const base: Omit<FilterableDevice, 'name' | 'tags' | 'groups'> = {
	baseline: 'acme-os-1',
	model: 'K',
	manufacturer: 'Acme',
	online: false,
	lastSeenAt: null,
	lastResultCode: null,
	components: []
};
const SCREENS = { id: 'g-screens', name: 'Lobby screens', kind: 'static' } as const;
const DEVICES: FilterableDevice[] = [
	{ ...base, name: 'A', tags: [{ key: 'lobby' }], groups: [SCREENS] },
	{ ...base, name: 'B', tags: [{ key: 'lobby' }], online: true },
	{ ...base, name: 'C', tags: [], groups: [SCREENS] },
	{ ...base, name: 'D', tags: [] }
];

function groupsOf(defs: GroupDefinition[]) {
	return (name: string) => defs.find((g) => g.name.toLowerCase() === name.toLowerCase());
}
const GROUPS: GroupDefinition[] = [
	SCREENS,
	{ id: 'g-lobby', name: 'Lobby', kind: 'dynamic', filter: 'tag == lobby' },
	{ id: 'g-lobby-on', name: 'Lobby online', kind: 'dynamic', filter: 'group == Lobby and online == true' },
	{ id: 'g-a', name: 'Loop A', kind: 'dynamic', filter: 'group == "Loop B" or name == A' },
	{ id: 'g-b', name: 'Loop B', kind: 'dynamic', filter: 'name == B or group == "Loop A"' },
	{ id: 'g-self', name: 'Self', kind: 'dynamic', filter: 'not group == Self' },
	{ id: 'g-broken', name: 'Broken', kind: 'dynamic', filter: 'tag == ' },
	{ id: 'g-dangling', name: 'Dangling', kind: 'dynamic', filter: 'group == "Gone"' }
];

function matching(filter: string, defs = GROUPS): string[] {
	const f = parseDeviceFilter(filter);
	if (!f.ok) throw new Error(`${filter}: ${f.error.message}`);
	const x = expandGroups(f.value, groupsOf(defs));
	if (!x.ok) throw new Error(`${filter}: ${x.error.message}`);
	return DEVICES.filter((d) => matchesDeviceFilter(x.value, d, NOW)).map((d) => d.name);
}

function refusal(filter: string, defs = GROUPS) {
	const f = parseDeviceFilter(filter);
	if (!f.ok) return f.error;
	const x = expandGroups(f.value, groupsOf(defs));
	return x.ok ? null : x.error;
}

describe('device filter: the group field', () => {
	it.each([
		['group == "Lobby screens"', ['A', 'C']],
		['group=="lobby SCREENS"', ['A', 'C']],
		["group != 'Lobby screens'", ['B', 'D']],
		['group == Lobby', ['A', 'B']],
		['group != Lobby', ['C', 'D']],
		['group == "Lobby online"', ['B']],
		['group == Lobby and group == "Lobby screens"', ['A']],
		['not (group == Lobby or group == "Lobby screens")', ['D']]
	])('%s', (filter, names) => {
		expect(matching(filter)).toEqual(names);
	});

	it('parses group as a field with the position of its value, == and != only, no wildcards', () => {
		const f = parseDeviceFilter('online == true and group == "Lobby screens"');
		expect(f).toMatchObject({ ok: true, value: { type: 'and', right: { type: 'compare', field: { kind: 'group', valuePosition: 28 }, position: 19 } } });
		expect(parseDeviceFilter('group < 3')).toMatchObject({ ok: false, error: { message: 'group is compared with == or != only', position: 6 } });
		expect(parseDeviceFilter('group == "Lobby*"')).toMatchObject({ ok: false, error: { message: expect.stringContaining('wildcards'), position: 9 } });
		expect(parseDeviceFilter('group == true')).toMatchObject({ ok: false, error: { message: expect.stringContaining('group’s name'), position: 9 } });
		expect(parseDeviceFilter('group')).toMatchObject({ ok: false, error: { position: 5 } });
		expect(parseDeviceFilter('grou == x')).toMatchObject({ ok: false, error: { message: expect.stringContaining('group') } });
	});

	it('before expansion, a static group matches by name; after, by its ID', () => {
		const f = parseDeviceFilter('group == "lobby screens"');
		if (!f.ok) throw new Error();
		expect(DEVICES.filter((d) => matchesDeviceFilter(f.value, d, NOW)).map((d) => d.name)).toEqual(['A', 'C']);
		const x = expandGroups(f.value, groupsOf(GROUPS));
		expect(x).toMatchObject({ ok: true, value: { field: { kind: 'group', groupId: 'g-screens' } } });
		// Renamed since: the resolved filter still means the same group.
		const renamed = DEVICES.map((d) => ({ ...d, groups: d.groups?.map((g) => ({ ...g, name: 'Screens' })) }));
		if (x.ok) expect(renamed.filter((d) => matchesDeviceFilter(x.value, d, NOW)).map((d) => d.name)).toEqual(['A', 'C']);
	});

	it('refuses unknown groups, cycles and broken saved filters at the position of the name', () => {
		expect(refusal('tag == x or group == "Nope"')).toEqual({ code: 'filter_syntax', message: 'unknown group "Nope"', position: 21 });
		expect(refusal('group == "Loop A"')).toEqual({
			code: 'filter_syntax',
			message: 'in group "Loop A": in group "Loop B": group "Loop A" includes itself ("Loop A" → "Loop B" → "Loop A")',
			position: 9
		});
		expect(refusal('group == Self')?.message).toBe('in group "Self": group "Self" includes itself ("Self" → "Self")');
		expect(refusal('online == true and group == Broken')).toMatchObject({ message: expect.stringContaining('the filter of group "Broken" does not parse'), position: 28 });
		expect(refusal('group == Dangling')).toMatchObject({ message: 'in group "Dangling": unknown group "Gone"', position: 9 });
	});

	it('a group checking its own new filter passes itself as within, so a way back is a cycle', () => {
		const f = parseDeviceFilter('group == "Lobby online"');
		if (!f.ok) throw new Error();
		const lobby = GROUPS[1]!;
		expect(expandGroups(f.value, groupsOf(GROUPS), [lobby])).toMatchObject({ ok: false, error: { message: expect.stringContaining('includes itself'), position: 9 } });
		expect(expandGroups(f.value, groupsOf(GROUPS), [SCREENS])).toMatchObject({ ok: true });
	});

	it('refuses nesting deeper than the limit and expansions that blow up', () => {
		const chain: GroupDefinition[] = Array.from({ length: MAX_GROUP_DEPTH + 2 }, (_, i) => ({
			id: `c${i}`,
			name: `c${i}`,
			kind: 'dynamic',
			filter: i === MAX_GROUP_DEPTH + 1 ? 'tag == x' : `group == c${i + 1}`
		}));
		expect(refusal('group == c0', chain)?.message).toContain(`more than ${MAX_GROUP_DEPTH} deep`);
		expect(refusal('group == c2', chain)).toBeNull();
		const wide: GroupDefinition[] = Array.from({ length: 7 }, (_, i) => ({
			id: `w${i}`,
			name: `w${i}`,
			kind: 'dynamic',
			filter: i === 6 ? 'tag == x' : Array.from({ length: 6 }, () => `group == w${i + 1}`).join(' or ')
		}));
		expect(refusal('group == w0', wide)).toMatchObject({ message: expect.stringContaining('grows past'), position: 0 });
	});

	it('tells whether a filter names a group at all', () => {
		const yes = parseDeviceFilter('tag == a or not group == b');
		const no = parseDeviceFilter('tag == a or not online == true');
		expect(yes.ok && namesGroups(yes.value)).toBe(true);
		expect(no.ok && namesGroups(no.value)).toBe(false);
	});
});
