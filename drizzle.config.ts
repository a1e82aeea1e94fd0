import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations into drizzle/ from the schema; they are applied at start.
export default defineConfig({
	dialect: 'sqlite',
	schema: ['./src/lib/server/db/schema.ts', './src/lib/server/db/schema-auth.ts', './src/lib/server/db/schema-security.ts'],
	out: './drizzle'
});
