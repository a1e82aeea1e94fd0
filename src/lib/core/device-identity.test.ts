import { describe, expect, it } from 'vitest';
import { checkName, checkNotes, formatTag, nameFromLabel, parseTag, parseTags, splitTagText, MAX_NAME_LENGTH, MAX_TAGS } from './device-identity';
import { matchesDeviceFilter, parseDeviceFilter, type FilterableDevice } from './device-filter';

describe('device identity: names', () => {
	it('trims a name and accepts an empty one', () => {
		expect(checkName('  Lobby kiosk ')).toEqual({ ok: true, value: 'Lobby kiosk' });
		expect(checkName('   ')).toEqual({ ok: true, value: '' });
	});
	it.each([
		['x'.repeat(MAX_NAME_LENGTH + 1), 'at most'],
		['Lobby\u0007', 'control'],
		['\u202Eksoik', 'text-direction']
	])('refuses %j', (name, message) => {
		const r = checkName(name);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_request', field: 'name', message: expect.stringContaining(message) });
	});
	it('makes any enrollment label a valid name', () => {
		expect(nameFromLabel('  Lobby   kiosk\n')).toBe('Lobby kiosk');
		expect(nameFromLabel('a'.repeat(200))).toHaveLength(MAX_NAME_LENGTH);
		expect(checkName(nameFromLabel('\u202Eevil\u0000')).ok).toBe(true);
	});
});

describe('device identity: notes', () => {
	it('keeps line breaks, refuses other control characters', () => {
		expect(checkNotes(' line 1\nline 2\t ')).toEqual({ ok: true, value: 'line 1\nline 2' });
		expect(checkNotes('bell\u0007').ok).toBe(false);
		expect(checkNotes('x'.repeat(2001)).ok).toBe(false);
	});
});

describe('device identity: tags', () => {
	it.each([
		['lobby', { key: 'lobby', value: null }],
		[' floor = 3 ', { key: 'floor', value: '3' }],
		['site=Main hall, east', { key: 'site', value: 'Main hall, east' }],
		['empty=', { key: 'empty', value: '' }]
	])('%j', (raw, tag) => {
		expect(parseTag(raw)).toEqual({ ok: true, value: tag });
		expect(formatTag(tag)).toBe(raw.includes('=') ? `${tag.key}=${tag.value}` : tag.key);
	});
	it.each(['', '=3', 'two words', 'dot.ted', 'k'.repeat(41), `k=${'v'.repeat(81)}`, 'k=\u0000'])('refuses %j', (raw) => {
		expect(parseTag(raw).ok).toBe(false);
	});
	it('reads a text field of tags, refusing a key given twice in any case and too many tags', () => {
		expect(parseTags(splitTagText('lobby, floor=3\n\n'))).toEqual({ ok: true, value: [{ key: 'lobby', value: null }, { key: 'floor', value: '3' }] });
		expect(parseTags(['floor=1', 'FLOOR=2'])).toMatchObject({ ok: false, error: { message: 'tag FLOOR is given twice' } });
		expect(parseTags(Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`)).ok).toBe(false);
	});
	it('every accepted tag key can be found with the filter language without quotes', () => {
		const device: FilterableDevice = {
			name: 'x', baseline: '', model: '', manufacturer: '', online: false, lastSeenAt: null, lastResultCode: null, components: [],
			tags: [{ key: 'a_b-c:d/e+f@g', value: 'v 1' }]
		};
		const f = parseDeviceFilter('tag.a_b-c:d/e+f@g == "v 1" and tag == a_b-c:d/e+f@g');
		expect(f.ok && matchesDeviceFilter(f.value, device, 0)).toBe(true);
	});
});
