import { describe, expect, it } from 'vitest';
import { formatLocalTime, formatTime } from './format';

const t = Date.UTC(2026, 11, 9, 3, 56, 44);

describe('time formats', () => {
	it('console: UTC to the minute, with the zone', () => expect(formatTime(t)).toBe('2026-12-09 03:56 UTC'));
	it('device: month in words, no seconds, with the zone', () => {
		const s = formatLocalTime(t, 'en-US', 'UTC');
		expect(s).toMatch(/Dec/);
		expect(s).toMatch(/UTC/);
		expect(s).not.toMatch(/:44/);
		expect(s).not.toMatch(/12\/9/);
	});
});
