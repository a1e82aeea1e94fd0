/**
 * Device endpoint: a component bundle, for a short-lived token from the `package:token` event (SCOMO-SEC-03).
 * Sealed to the device's encryption key when it registered one (src/lib/server/package-crypto).
 */
import { unwrap, problem } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';
import { bundleDownload } from '$lib/server/package-crypto/sealed-download';

export const GET = endpoint('GET /api/device/bundles/{token}', async ({ ctx, event }) => {
	const grant = unwrap(ctx.services.catalog.redeemToken(event.params.token!));
	const res = await bundleDownload(ctx.config.dataDir, grant);
	if (!res) throw problem('download_token_invalid', 'the package is no longer available');
	return res;
});
