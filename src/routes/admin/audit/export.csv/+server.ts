/** The audit log as CSV, with the page's filters (the same query string); 'read' on 'audit' like the page. */
import { requireAccess } from '$lib/server/auth/guard';
import { auditCsv } from '$lib/admin-ui/audit-words';
import { auditQuery } from '../query.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'audit');
	const { events } = auditQuery(locals.app.store.db, maId, url.searchParams, 10_000);
	return new Response(auditCsv(events), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
