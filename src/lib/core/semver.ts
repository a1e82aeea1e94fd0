/** Orders versions (major.minor.patch[-pre]) so "latest" means the highest, not the newest upload. */
export function compareVersions(a: string, b: string): number {
	const [ca, pa] = split(a);
	const [cb, pb] = split(b);
	for (let i = 0; i < 3; i++) {
		const d = (ca[i] ?? 0) - (cb[i] ?? 0);
		if (d !== 0) return d;
	}
	// A release outranks its pre-releases (1.0.0 > 1.0.0-rc.1).
	if (pa === pb) return 0;
	if (pa === '') return 1;
	if (pb === '') return -1;
	return pa < pb ? -1 : 1;
}

function split(v: string): [number[], string] {
	const dash = v.indexOf('-');
	const core = dash === -1 ? v : v.slice(0, dash);
	const pre = dash === -1 ? '' : v.slice(dash + 1);
	return [core.split('.').map((n) => Number(n)), pre];
}

/** Versions of `all` above `current`, highest first: what an Update may target. */
export function newerVersions<T extends { version: string }>(all: readonly T[], current: string): T[] {
	return all.filter((v) => compareVersions(v.version, current) > 0).sort((a, b) => compareVersions(b.version, a.version));
}

/** Versions of `all` below `current`, highest first: what a (deliberate) downgrade may target. */
export function olderVersions<T extends { version: string }>(all: readonly T[], current: string): T[] {
	return all.filter((v) => compareVersions(v.version, current) < 0).sort((a, b) => compareVersions(b.version, a.version));
}

export function latestVersion<T extends { version: string }>(items: readonly T[]): T | undefined {
	let best: T | undefined;
	for (const it of items) if (!best || compareVersions(it.version, best.version) > 0) best = it;
	return best;
}
