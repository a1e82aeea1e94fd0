/** `scomo packages ...`: list (pages) and show — /api/v1/packages. */
import type { Resource } from '../context';
import { intIn } from '../context';
import { fields, pageNote, table, time } from '../output';

type Version = { version: string; sha256: string; size: number; signed: boolean; createdAt: number; compatibleBaselines: string[] };
type Package = { packageId: string; componentId: string; name: string; description: string; versions: Version[] };

const latest = (p: Package) => p.versions.at(-1);

export const packages: Resource = (program, ctx) => {
	const cmd = program.command('packages').description('component packages of the MA of the token');

	cmd
		.command('list')
		.description('packages in component ID order, one page (or --all)')
		.option('--limit <n>', 'page size, 1-1000', intIn(1, 1000))
		.option('--cursor <cursor>', 'the page after this cursor')
		.option('--all', 'every page, following the cursors')
		.action(async (o: { limit?: number; cursor?: string; all?: boolean }, c) => {
			const { api, out } = ctx(c);
			const page = await api.list<Package>('/api/v1/packages', { limit: o.limit, cursor: o.cursor }, !!o.all);
			out.print(page, (p) =>
				[
					table(p.items, [
						['component', (x) => x.componentId],
						['name', (x) => x.name],
						['versions', (x) => x.versions.map((v) => v.version).join(', ')],
						['latest upload', (x) => time(latest(x)?.createdAt)]
					]),
					pageNote(p.items.length, p.total, p.nextCursor)
				].join('\n')
			);
		});

	cmd
		.command('show <componentId>')
		.description('one package with every version')
		.action(async (componentId: string, _o, c) => {
			const { api, out } = ctx(c);
			const p = await api.get<Package>(`/api/v1/packages/${encodeURIComponent(componentId)}`);
			out.print(p, (x) =>
				[
					fields({ component: x.componentId, name: x.name, description: x.description }),
					'',
					table(x.versions, [
						['version', (v) => v.version],
						['size', (v) => v.size],
						['signed', (v) => (v.signed ? 'yes' : 'no')],
						['baselines', (v) => v.compatibleBaselines.join(' ')],
						['sha-256', (v) => v.sha256],
						['uploaded', (v) => time(v.createdAt)]
					])
				].join('\n')
			);
		});
};
