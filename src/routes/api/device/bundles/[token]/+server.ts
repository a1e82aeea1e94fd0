/**
 * Device endpoint: a component bundle, for a short-lived token from the `package:token` event (SCOMO-SEC-03).
 * Sealed to the device's encryption key when it registered one (src/lib/server/package-crypto).
 */
import { appContext } from '$lib/server/app-context';
import { unwrap, problem } from '$lib/server/http';
import { bundleDownload } from '$lib/server/package-crypto/sealed-download';
import { route } from '../../../v1/ma-api';

export const GET = route(async (event) => {
	const ctx = appContext();
	const grant = unwrap(ctx.services.catalog.redeemToken(event.params.token!));
	const res = await bundleDownload(ctx.config.dataDir, grant);
	if (!res) throw problem('download_token_invalid', 'the package is no longer available');
	return res;
});
