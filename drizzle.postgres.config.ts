import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes the PostgreSQL migrations into drizzle/postgres/ from the PostgreSQL schema, which
// mirrors the SQLite one table for table (the schema-drift test checks it); they are applied at start.
export default defineConfig({
	dialect: 'postgresql',
	schema: [
		'./src/lib/server/db/postgres/schema.ts',
		'./src/lib/server/db/postgres/schema-auth.ts',
		'./src/lib/server/db/postgres/schema-security.ts',
		'./src/lib/server/db/postgres/schema-rollouts.ts'
	],
	out: './drizzle/postgres'
});
