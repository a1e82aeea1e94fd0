import { describe, expect, it } from 'vitest';
import { matchesDeviceFilter, parseDeviceFilter, type FilterableDevice } from './device-filter';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

const lobby: FilterableDevice = {
	name: 'Lobby kiosk',
	tags: [{ key: 'lobby' }, { key: 'floor', value: '3' }],
	baseline: 'acme-os-1.4',
	model: 'K-10',
	manufacturer: 'Acme',
	online: true,
	lastSeenAt: NOW - 2 * DAY,
	lastResultCode: 1200,
	components: [{ componentId: 'com.acme.weather', version: '1.4.2', stage: 'deployed', state: 'Active', operational: 'Running' }]
};
const tablet: FilterableDevice = {
	name: 'Reception tablet',
	tags: [{ key: 'floor', value: '1' }],
	baseline: 'globex-2',
	model: 'T-7',
	manufacturer: 'Globex',
	online: false,
	lastSeenAt: null,
	lastResultCode: 1401,
	components: [{ componentId: 'com.acme.weather', version: '2.0.0', stage: 'delivered', state: null, operational: null }]
};
const bare: FilterableDevice = { ...tablet, name: 'Spare', tags: [], components: [], lastResultCode: null, lastSeenAt: NOW - 30 * DAY };

function matching(filter: string): string[] {
	const f = parseDeviceFilter(filter);
	if (!f.ok) throw new Error(`${filter}: ${f.error.message} at ${f.error.position}`);
	return [lobby, tablet, bare].filter((d) => matchesDeviceFilter(f.value, d, NOW)).map((d) => d.name);
}

describe('device filter: what matches', () => {
	it.each([
		// the issue's own example
		['tag==lobby and baseline=="acme-os-1*" and component[com.acme.weather].version < 2.0', ['Lobby kiosk']],
		['name == "lobby kiosk"', ['Lobby kiosk']],
		['name == "*tablet"', ['Reception tablet']],
		['name != "*tablet"', ['Lobby kiosk', 'Spare']],
		['tag == lobby', ['Lobby kiosk']],
		['tag != lobby', ['Reception tablet', 'Spare']],
		['tag.floor == 3', ['Lobby kiosk']],
		['tag.floor == "1"', ['Reception tablet']],
		['tag.FLOOR == "*"', ['Lobby kiosk', 'Reception tablet']],
		['model == "K-10" or model == "T-7"', ['Lobby kiosk', 'Reception tablet', 'Spare']],
		['manufacturer == globex', ['Reception tablet', 'Spare']],
		['online == true', ['Lobby kiosk']],
		['online != true', ['Reception tablet', 'Spare']],
		['last_seen < 7d', ['Lobby kiosk']],
		['last_seen >= 7d', ['Reception tablet', 'Spare']],
		['last_seen < 48h', []],
		['last_seen <= 48h', ['Lobby kiosk']],
		['last_result == 1200', ['Lobby kiosk']],
		['last_result >= 1400', ['Reception tablet']],
		['last_result != 1200', ['Reception tablet', 'Spare']],
		['component[com.acme.weather].version >= 2', ['Reception tablet']],
		['component[com.acme.weather].version == "1.4.*"', ['Lobby kiosk']],
		['component[com.acme.weather].version != 1.4.2', ['Reception tablet', 'Spare']],
		['component[com.acme.weather].stage == delivered', ['Reception tablet']],
		['component[com.acme.weather].operational == running', ['Lobby kiosk']],
		['component["com.acme.weather"].state == Active', ['Lobby kiosk']],
		['component[com.other.app].version > 0', []],
		['not tag == lobby', ['Reception tablet', 'Spare']],
		['not (tag == lobby or online == false)', []],
		// and binds tighter than or
		['online == true or tag.floor == 1 and model == "T-7"', ['Lobby kiosk', 'Reception tablet']],
		['(online == true or tag.floor == 1) and model == "T-7"', ['Reception tablet']],
		['NOT online == true AND manufacturer == globex', ['Reception tablet', 'Spare']],
		// a plain word or quoted text alone searches names (contains, any case); several words must all appear
		['Lobby', ['Lobby kiosk']],
		['lob', ['Lobby kiosk']],
		['kiosk lobby', ['Lobby kiosk']],
		['"reception tab"', ['Reception tablet']],
		['lobby or spare', ['Lobby kiosk', 'Spare']],
		['not lobby and online == false', ['Reception tablet', 'Spare']],
		['(tablet) and tag.floor == 1', ['Reception tablet']],
		['nothing-named-so', []]
	])('%s', (filter, names) => {
		expect(matching(filter)).toEqual(names);
	});
});

describe('device filter: errors point at the position', () => {
	it.each([
		['', 0, 'the filter is empty'],
		['colour == red', 0, 'unknown field "colour"'],
		['name = "x"', 5, 'use == to compare'],
		['name ! "x"', 5, 'use != for "not equal"'],
		['name "x"', 5, 'expected a comparison'],
		['name ==', 7, 'expected a value but the filter ends here'],
		['name == "x', 8, 'no closing quote'],
		['(name == x', 10, 'expected a closing parenthesis'],
		['name == x online == true', 10, 'expected "and", "or" or the end'],
		['online == yes', 10, 'online takes true or false'],
		['online < true', 7, 'online is compared with == or != only'],
		['last_seen == 7d', 10, 'last_seen is compared with <'],
		['last_seen < 7', 12, 'last_seen takes an age'],
		['name < "b"', 5, 'name is compared with == or != only'],
		['tag.floor == 3d', 13, 'tag.floor takes a text in quotes'],
		['component.version == 1', 9, 'expected a component id in brackets'],
		['component[com.acme.x] == 1', 22, 'expected an attribute after the component'],
		['component[com.acme.x].colour == 1', 22, 'expected a component attribute'],
		['component[com.acme.x].version == 1.x', 35, 'expected a number after "." in a version'],
		['component[com.acme.x].version < "2.*"', 32, 'wildcards (*) work with == and != only'],
		['last_result == "ok"', 15, 'last_result takes a result code'],
		['name == x and', 13, 'expected a field'],
		['name == x ; drop', 10, 'unexpected character ";"'],
		// field names and keywords are never search words
		['online', 6, 'expected a comparison'],
		['lobby and', 9, 'expected a field'],
		['lobby online == true', 6, 'expected "and", "or" or the end']
	])('%s → at %i: %s', (filter, position, message) => {
		const r = parseDeviceFilter(filter);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error.code).toBe('filter_syntax');
		expect(r.error.message).toContain(message);
		expect(r.error.position).toBe(position);
	});

	it('refuses a filter longer than the limit', () => {
		const r = parseDeviceFilter(`name == x${' or name == x'.repeat(200)}`);
		expect(r).toMatchObject({ ok: false, error: { code: 'filter_syntax', message: expect.stringContaining('at most 2000') } });
	});
});
