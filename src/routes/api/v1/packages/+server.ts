/** MA API: upload a package version (manifest + bundle), list packages. */
import { UploadPackage, parse } from '$lib/contract';
import { json, readJson, unwrap, problem } from '$lib/server/http';
import { forCollection, route } from '../ma-api';

/** The JSON body may carry the bundle as base64 (4/3 larger) plus the manifest. */
const uploadLimit = (maxBundleBytes: number) => Math.ceil((maxBundleBytes * 4) / 3) + 256 * 1024;

export const POST = route(async (event) => {
	const { ctx, maId, actor } = forCollection(event, 'operate', 'package');
	const raw = await readJson(event.request, uploadLimit(ctx.config.maxBundleBytes));
	const body = parse(UploadPackage, raw);
	if (!body.ok) {
		// Only the manifest is wrong: the package is invalid (422). Anything else is a malformed request (400).
		const onlyManifest = body.issues.every((i) => i.path === 'manifest' || i.path.startsWith('manifest.'));
		if (onlyManifest) throw problem('package_invalid', 'the manifest is not valid', body.issues);
		throw problem('invalid_request', 'the request does not match the contract', body.issues);
	}
	return json(unwrap(ctx.services.packages.upload(maId, actor, body.value)), 201);
});

export const GET = route((event) => {
	const { ctx, maId } = forCollection(event, 'read', 'package');
	return json({ items: ctx.services.packages.list(maId) });
});
