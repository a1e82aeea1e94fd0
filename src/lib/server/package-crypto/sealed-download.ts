/**
 * The body of GET /api/device/bundles/:token (SCOMO-SEC-03). A device that registered an encryption key gets
 * the bundle sealed to it (seal.ts): ciphertext only, so a copied link or a cache in between reveals nothing.
 * A device enrolled before it had one gets the plaintext bundle (documented transition, docs/security.md).
 */
import { readFile } from 'node:fs/promises';
import { SEALED_CONTENT_TYPE } from '../../contract/sealed-package';
import { bundlePath } from '../services/bundle-store';
import type { PackageVersionRow } from '../db/repos/packages';
import { parseEncryptionKey } from './device-encryption-key';
import { sealPackage } from './seal';

export type DownloadGrant = PackageVersionRow & { deviceId: string; deviceEncryptionKey: string | null };

/** The response for a redeemed token; null when the bundle is no longer on disk. */
export async function bundleDownload(dataDir: string, grant: DownloadGrant): Promise<Response | null> {
	let bytes: Buffer;
	try {
		bytes = await readFile(bundlePath(dataDir, grant.bundleSha256));
	} catch {
		return null;
	}
	const headers: Record<string, string> = {
		// Never stored by a browser or proxy cache, never sniffed as something else.
		'cache-control': 'private, no-store',
		'x-content-type-options': 'nosniff'
	};
	const deviceKey = grant.deviceEncryptionKey ? parseEncryptionKey(grant.deviceEncryptionKey) : null;
	if (!deviceKey) {
		return new Response(new Uint8Array(bytes), {
			status: 200,
			headers: {
				...headers,
				'content-type': 'application/javascript; charset=utf-8',
				// The length lets the device report its download as "x of y bytes" (the progress event).
				'content-length': String(bytes.length),
				// The device checks this digest before storing anything (1407 on mismatch).
				'x-content-sha256': grant.bundleSha256
			}
		});
	}
	const manifest = JSON.parse(grant.manifest) as { id: string };
	const sealed = await sealPackage(new Uint8Array(bytes), deviceKey, {
		deviceId: grant.deviceId,
		versionId: grant.id,
		componentId: manifest.id,
		version: grant.version,
		sha256: grant.bundleSha256,
		size: grant.bundleSize
	});
	return new Response(sealed as Uint8Array<ArrayBuffer>, {
		status: 200,
		headers: { ...headers, 'content-type': SEALED_CONTENT_TYPE, 'content-length': String(sealed.length) }
	});
}
