/**
 * Checks an uploaded package before the package service accepts it, with errors a person can act on:
 * the manifest must be JSON and match the contract's ManifestSchema, the bundle must be a non-empty
 * script that compiles (compiled only, never run, with node:vm), within the size limit.
 */
import { Script } from 'node:vm';
import type { Manifest } from '$lib/contract/manifest';
import { checkManifestText } from '$lib/admin-ui/manifest-check';
import type { FormField } from '$lib/admin-ui/words';

export type CheckedPackage = { ok: true; manifest: Manifest; bundle: Buffer } | { ok: false; error: string; field: FormField };

export async function checkUpload(form: FormData, maxBundleBytes: number): Promise<CheckedPackage> {
	const pasted = String(form.get('manifestText') ?? '').trim();
	const manifestFile = form.get('manifest');
	const text = pasted || (manifestFile instanceof File && manifestFile.size > 0 ? await manifestFile.text() : '');
	const m = checkManifestText(text);
	if (!m.ok) return { ok: false, field: 'manifest', error: m.error };

	const bundleFile = form.get('bundle');
	if (!(bundleFile instanceof File) || bundleFile.size === 0) return { ok: false, field: 'bundle', error: `Choose the bundle file (${m.manifest.entry}); it must not be empty.` };
	if (bundleFile.size > maxBundleBytes) {
		return { ok: false, field: 'bundle', error: `The bundle is ${bundleFile.size} bytes; at most ${maxBundleBytes} are accepted. Make it smaller (minify it, leave out unused code).` };
	}
	const bundle = Buffer.from(await bundleFile.arrayBuffer());
	try {
		new Script(bundle.toString('utf8'), { filename: m.manifest.entry });
	} catch (e) {
		return { ok: false, field: 'bundle', error: `The bundle ${bundleFile.name} is not a JavaScript file that can run (${(e as Error).message}). Choose the built ${m.manifest.entry}.` };
	}
	return { ok: true, manifest: m.manifest, bundle };
}

