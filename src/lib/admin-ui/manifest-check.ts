/**
 * A manifest's text checked the same way in the browser (as soon as the file is chosen) and on the server
 * (before the upload is accepted), with messages a person can act on: never the JSON parser's own text,
 * which for a picture quotes binary garbage ("Unexpected token '�', "�PNG…").
 */
import { parse } from '../contract/common';
import { ManifestSchema, type Manifest } from '../contract/manifest';
import { issuesInWords } from './words';

export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; error: string };

/** NUL or replacement characters: what a PNG, a zip or another binary file reads like as text. */
const looksBinary = (text: string) => /[\u0000\uFFFD]/.test(text.slice(0, 512));

export function checkManifestText(text: string): ManifestCheck {
	if (!text.trim()) return { ok: false, error: 'Choose the manifest file (manifest.json) or paste its text.' };
	if (looksBinary(text)) {
		return { ok: false, error: 'The manifest file is not a text file (it looks like an image or another binary file). Choose the package’s manifest.json.' };
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { ok: false, error: 'The manifest is not valid JSON text. Check for a missing comma, quote or brace, or choose the package’s manifest.json.' };
	}
	const m = parse(ManifestSchema, json);
	if (!m.ok) return { ok: false, error: issuesInWords(m.issues.map((i) => ({ ...i, path: i.path === '(root)' ? 'manifest' : `manifest.${i.path}` }))) };
	return { ok: true, manifest: m.value };
}
