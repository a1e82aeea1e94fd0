/**
 * Builds browser-decrypter-entry.ts (the PWA's decrypter) into one script for page.addScriptTag, with
 * Vite (the tool that builds the PWA), so the browser runs the product's code, not a copy of it.
 */
import path from 'node:path';
import { build, type Rolldown } from 'vite';

export async function browserDecrypterScript(): Promise<string> {
	const out = await build({
		configFile: false,
		logLevel: 'silent',
		build: {
			write: false,
			minify: false,
			lib: { entry: path.join(import.meta.dirname, 'browser-decrypter-entry.ts'), formats: ['iife'], name: 'scomoDecrypter', fileName: 'decrypter' }
		}
	});
	const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[];
	const chunk = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk');
	if (!chunk || chunk.type !== 'chunk') throw new Error('vite built no script for the decrypter');
	return chunk.code;
}
