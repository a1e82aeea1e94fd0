/**
 * The shape of a migrated store, engine-neutral: tables, columns (name, kind, nullability), primary keys,
 * indexes (name, unique, columns) and foreign keys. The schema-drift test reads it from a fresh SQLite file
 * and a fresh PostgreSQL database, each migrated by its own drizzle folder, and fails on any difference.
 */
import type Database from 'better-sqlite3';
import type postgres from 'postgres';

/** Column kinds both engines share: BIGINT and INTEGER are numbers; SQLite keeps booleans as integers. */
type Kind = 'text' | 'number';
export type ColumnShape = { kind: Kind; nullable: boolean };
export type TableShape = {
	columns: Record<string, ColumnShape>;
	primaryKey: string[];
	indexes: Record<string, { unique: boolean; columns: string[] }>;
	foreignKeys: string[];
};
export type SchemaShape = Record<string, TableShape>;

const IGNORED_TABLES = new Set(['__drizzle_migrations', 'sqlite_sequence']);

function kindOf(type: string): Kind {
	const t = type.toLowerCase();
	if (t === 'text' || t.startsWith('character') || t.startsWith('varchar')) return 'text';
	if (t === 'integer' || t === 'bigint' || t === 'boolean' || t === 'smallint') return 'number';
	throw new Error(`a column type the drift check does not know: ${type}`);
}

export function sqliteShape(db: Database.Database): SchemaShape {
	const shape: SchemaShape = {};
	const tables = db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[];
	for (const { name } of tables) {
		if (IGNORED_TABLES.has(name)) continue;
		const cols = db.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; pk: number }[];
		const table: TableShape = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] };
		for (const c of cols) table.columns[c.name] = { kind: kindOf(c.type), nullable: c.notnull === 0 && c.pk === 0 };
		table.primaryKey = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
		const indexes = db.pragma(`index_list(${name})`) as { name: string; unique: number; origin: string }[];
		// origin 'c' = CREATE INDEX; 'pk' and 'u' are the engine's own indexes behind PRIMARY KEY / UNIQUE.
		for (const ix of indexes.filter((i) => i.origin === 'c')) {
			const cols = (db.pragma(`index_info(${ix.name})`) as { seqno: number; name: string }[])
				.sort((a, b) => a.seqno - b.seqno)
				.map((c) => c.name);
			table.indexes[ix.name] = { unique: ix.unique === 1, columns: cols };
		}
		const fks = db.pragma(`foreign_key_list(${name})`) as { table: string; from: string; to: string }[];
		table.foreignKeys = fks.map((f) => `${f.from} -> ${f.table}.${f.to}`).sort();
		shape[name] = table;
	}
	return shape;
}

export async function postgresShape(sql: postgres.Sql): Promise<SchemaShape> {
	const shape: SchemaShape = {};
	const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }[]>`
		select table_name, column_name, data_type, is_nullable from information_schema.columns
		where table_schema = 'public' order by table_name, ordinal_position`;
	for (const c of columns) {
		if (IGNORED_TABLES.has(c.table_name)) continue;
		const table = (shape[c.table_name] ??= { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] });
		table.columns[c.column_name] = { kind: kindOf(c.data_type), nullable: c.is_nullable === 'YES' };
	}
	const indexes = await sql<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[] }[]>`
		select t.relname as table, i.relname as name, x.indisunique as unique, x.indisprimary as primary,
			array(select a.attname from unnest(x.indkey) with ordinality k(attnum, ord)
				join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.ord)::text[] as columns
		from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
		join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public'`;
	for (const ix of indexes) {
		const table = shape[ix.table];
		if (!table) continue;
		if (ix.primary) table.primaryKey = ix.columns;
		else table.indexes[ix.name] = { unique: ix.unique, columns: ix.columns };
	}
	const fks = await sql<{ table: string; from: string; to_table: string; to: string }[]>`
		select tc.table_name as table, kcu.column_name as from, ccu.table_name as to_table, ccu.column_name as to
		from information_schema.table_constraints tc
		join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
		join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
		where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'`;
	for (const f of fks) shape[f.table]?.foreignKeys.push(`${f.from} -> ${f.to_table}.${f.to}`);
	for (const t of Object.values(shape)) t.foreignKeys.sort();
	return shape;
}

/** Every difference between two shapes, one line each, naming table and column or index; empty when equal. */
export function diffShapes(a: SchemaShape, b: SchemaShape, names: [string, string] = ['sqlite', 'postgres']): string[] {
	const out: string[] = [];
	const keys = (x: object, y: object) => [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
	for (const t of keys(a, b)) {
		const ta = a[t];
		const tb = b[t];
		if (!ta || !tb) {
			out.push(`table ${t}: only in ${ta ? names[0] : names[1]}`);
			continue;
		}
		for (const c of keys(ta.columns, tb.columns)) {
			const ca = JSON.stringify(ta.columns[c] ?? null);
			const cb = JSON.stringify(tb.columns[c] ?? null);
			if (ca !== cb) out.push(`${t}.${c}: ${names[0]} ${ca}, ${names[1]} ${cb}`);
		}
		if (ta.primaryKey.join() !== tb.primaryKey.join())
			out.push(`${t} primary key: ${names[0]} (${ta.primaryKey}), ${names[1]} (${tb.primaryKey})`);
		for (const i of keys(ta.indexes, tb.indexes)) {
			const ia = JSON.stringify(ta.indexes[i] ?? null);
			const ib = JSON.stringify(tb.indexes[i] ?? null);
			if (ia !== ib) out.push(`${t} index ${i}: ${names[0]} ${ia}, ${names[1]} ${ib}`);
		}
		if (ta.foreignKeys.join() !== tb.foreignKeys.join())
			out.push(`${t} foreign keys: ${names[0]} [${ta.foreignKeys}], ${names[1]} [${tb.foreignKeys}]`);
	}
	return out;
}
