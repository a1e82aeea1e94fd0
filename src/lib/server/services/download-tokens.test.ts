import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { signDownloadToken, verifyDownloadToken } from './download-tokens';

const key = randomBytes(32);
const claims = { deviceId: 'dev-1', versionId: 'ver-1', expiresAt: 2_000 };

describe('download tokens', () => {
	it('round-trips before expiry and refuses after', () => {
		const t = signDownloadToken(key, claims);
		expect(verifyDownloadToken(key, t, 1_999)).toEqual(claims);
		expect(verifyDownloadToken(key, t, 2_000)).toBeNull();
	});
	it('refuses another key, a changed body and garbage', () => {
		const t = signDownloadToken(key, claims);
		expect(verifyDownloadToken(randomBytes(32), t, 0)).toBeNull();
		const [, mac] = t.split('.');
		const forged = Buffer.from(JSON.stringify({ d: 'dev-2', v: 'ver-1', e: 2_000 })).toString('base64url');
		expect(verifyDownloadToken(key, `${forged}.${mac}`, 0)).toBeNull();
		expect(verifyDownloadToken(key, 'nonsense', 0)).toBeNull();
		expect(verifyDownloadToken(key, '', 0)).toBeNull();
	});
});
