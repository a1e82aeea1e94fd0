/** What the CLI prints: a plain-text table for people (default) or JSON for scripts (--json). */

export type Column<T> = [header: string, cell: (row: T) => string | number | null | undefined];

export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
	const cells = rows.map((r) => columns.map(([, f]) => String(f(r) ?? '')));
	const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
	const line = (c: readonly string[]) => c.map((s, i) => (i === c.length - 1 ? s : s.padEnd(widths[i]!))).join('  ').trimEnd();
	return [line(columns.map(([h]) => h.toUpperCase())), ...cells.map(line)].join('\n');
}

/** One object as "key: value" lines. */
export function fields(obj: Record<string, unknown>): string {
	const width = Math.max(...Object.keys(obj).map((k) => k.length));
	return Object.entries(obj)
		.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
		.join('\n');
}

export const time = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

export type Printer = {
	json: boolean;
	/** Prints `value` as JSON with --json, else the text `human` makes of it. */
	print<T>(value: T, human: (v: T) => string): void;
};

export function printer(json: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): Printer {
	return {
		json,
		print(value, human) {
			write(`${json ? JSON.stringify(value, null, 2) : human(value)}\n`);
		}
	};
}

/** A page footer for people: how many of how many, and how to get the rest. */
export const pageNote = (shown: number, total: number, nextCursor: string | null) =>
	`${shown} of ${total}${nextCursor ? ` (more: --all, or --cursor ${nextCursor})` : ''}`;
