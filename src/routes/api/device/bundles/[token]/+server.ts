/** Device endpoint: a component bundle, for a short-lived token from the `package:token` event (SCOMO-SEC-03). */
import { Readable } from 'node:stream';
import { appContext } from '$lib/server/app-context';
import { unwrap, problem } from '$lib/server/http';
import { openBundle } from '$lib/server/services/bundle-store';
import { route } from '../../../v1/ma-api';

export const GET = route((event) => {
	const ctx = appContext();
	const version = unwrap(ctx.services.catalog.redeemToken(event.params.token!));
	const file = openBundle(ctx.config.dataDir, version.bundleSha256);
	if (!file) throw problem('download_token_invalid', 'the package is no longer available');
	return new Response(Readable.toWeb(file.stream) as ReadableStream, {
		status: 200,
		headers: {
			'content-type': 'application/javascript; charset=utf-8',
			'content-length': String(file.size),
			// The device checks this digest before storing anything (1407 on mismatch).
			'x-content-sha256': version.bundleSha256,
			'cache-control': 'private, no-store'
		}
	});
});
