/**
 * Vitest global setup of the integration project: finds or starts the PostgreSQL server once per run and
 * provides its admin URL to every test file (`inject('postgresAdminUrl')`); a throwaway cluster is stopped
 * when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { resolvePostgresServer, type PostgresServer } from './postgres';

declare module 'vitest' {
	export interface ProvidedContext {
		postgresAdminUrl: string;
	}
}

let server: PostgresServer | null = null;

export async function setup(project: TestProject): Promise<void> {
	server = await resolvePostgresServer();
	if (server.source === 'throwaway') console.log(`PostgreSQL: started a throwaway cluster at ${server.adminUrl}`);
	project.provide('postgresAdminUrl', server.adminUrl);
}

export async function teardown(): Promise<void> {
	await server?.stop();
}
