/**
 * Checks an uploaded package before the package service accepts it, with errors a person can act on:
 * the manifest must be JSON and match the contract's ManifestSchema, the bundle must be a non-empty
 * script that compiles (compiled only, never run, with node:vm), within the size limit.
 */
import { Script } from 'node:vm';
import { parse } from '$lib/contract/common';
import { ManifestSchema, type Manifest } from '$lib/contract/manifest';
import { issuesInWords } from '$lib/admin-ui/words';

export type CheckedPackage = { ok: true; manifest: Manifest; bundle: Buffer } | { ok: false; error: string };

export async function checkUpload(form: FormData, maxBundleBytes: number): Promise<CheckedPackage> {
	const pasted = String(form.get('manifestText') ?? '').trim();
	const manifestFile = form.get('manifest');
	const text = pasted || (manifestFile instanceof File && manifestFile.size > 0 ? await manifestFile.text() : '');
	if (!text) return { ok: false, error: 'Choose the manifest file (manifest.json) or paste its JSON.' };
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		return { ok: false, error: `The manifest is not valid JSON: ${(e as Error).message}.` };
	}
	const m = parse(ManifestSchema, json);
	if (!m.ok) return { ok: false, error: `The manifest is not valid. ${issuesInWords(m.issues.map((i) => ({ ...i, path: i.path === '(root)' ? 'manifest' : `manifest.${i.path}` })))}` };

	const bundleFile = form.get('bundle');
	if (!(bundleFile instanceof File) || bundleFile.size === 0) return { ok: false, error: `Choose the bundle file (${m.value.entry}); it must not be empty.` };
	if (bundleFile.size > maxBundleBytes) {
		return { ok: false, error: `The bundle is ${bundleFile.size} bytes; at most ${maxBundleBytes} are accepted.` };
	}
	const bundle = Buffer.from(await bundleFile.arrayBuffer());
	try {
		new Script(bundle.toString('utf8'), { filename: m.value.entry });
	} catch (e) {
		return { ok: false, error: `The bundle ${bundleFile.name} does not compile as a script: ${(e as Error).message}.` };
	}
	return { ok: true, manifest: m.value, bundle };
}
