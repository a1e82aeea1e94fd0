/**
 * The core's index re-exports every module's public API. `export *` silently drops a name that two modules
 * both export (neither reaches the importer, and no compiler error says so), so this compares each
 * module's exports with what the index gives, by identity.
 */
import { describe, it, expect } from 'vitest';
import * as core from './index';

const modules = import.meta.glob(['./*.ts', '!./*.test.ts', '!./index.ts'], { eager: true }) as Record<string, Record<string, unknown>>;
const indexSource = import.meta.glob('./index.ts', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;
const reExported = [...indexSource['./index.ts']!.matchAll(/export \* from '\.\/([\w-]+)'/g)].map((m) => `./${m[1]}.ts`);

describe('index', () => {
	it('re-exports every export of each module it names, the same objects, none lost to a name clash', () => {
		expect(reExported.length).toBeGreaterThan(0);
		for (const file of reExported) {
			const mod = modules[file];
			expect(mod, file).toBeDefined();
			for (const [name, value] of Object.entries(mod!)) {
				expect(core, `${name} from ${file}`).toHaveProperty(name);
				expect((core as Record<string, unknown>)[name], `${name} from ${file}`).toBe(value);
			}
		}
	});
});
