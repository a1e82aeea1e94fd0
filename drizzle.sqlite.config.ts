import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes the SQLite migrations into drizzle/sqlite/ from the SQLite schema; they are applied
// at start. The PostgreSQL schema mirrors it (drizzle.postgres.config.ts) and a test fails when the two drift.
export default defineConfig({
	dialect: 'sqlite',
	schema: ['./src/lib/server/db/schema.ts', './src/lib/server/db/schema-auth.ts', './src/lib/server/db/schema-security.ts', './src/lib/server/db/schema-rollouts.ts'],
	out: './drizzle/sqlite'
});
