import { describe, it, expect } from 'vitest';
import { safeNext } from './safe-next';

const origin = 'http://localhost:3000';

describe('safeNext', () => {
	it('keeps paths of the app, normalised', () => {
		expect(safeNext('/admin/devices?x=1#top', origin)).toBe('/admin/devices?x=1#top');
		expect(safeNext('/admin/a/../devices', origin)).toBe('/admin/devices');
		expect(safeNext('/admin/%2F%2Fevil.example', origin)).toBe('/admin/%2F%2Fevil.example');
	});

	it.each([
		['/\t/evil.example/x'],
		['/\n/evil.example/x'],
		['/\r\n/evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['//evil.example/x'],
		['https://evil.example/x'],
		['javascript:alert(1)'],
		['evil.example'],
		['/\u0000x'],
		['/\u007f/evil.example'],
		[''],
		[null],
		[undefined]
	])('refuses %j', (next) => {
		expect(safeNext(next, origin)).toBe('/admin');
		expect(safeNext(next, origin, '/elsewhere')).toBe('/elsewhere');
	});
});
