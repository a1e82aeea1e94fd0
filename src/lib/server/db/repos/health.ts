/** Whether the store answers a query at all (the health check). */
import { sql } from 'drizzle-orm';
import type { Q } from './types';

export const pingStore = (q: Q): boolean => q.get<{ ok: number } | undefined>(sql`select 1 as ok`) !== undefined;
