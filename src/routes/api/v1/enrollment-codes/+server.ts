/** MA API: one-time enrollment codes (create, list). */
import { CreateEnrollmentCode } from '$lib/contract';
import { json, parseBody, readJson, unwrap } from '$lib/server/http';
import { forCollection, route } from '../ma-api';

export const POST = route(async (event) => {
	const { ctx, maId, actor } = forCollection(event, 'operate', 'enrollment-code');
	const body = parseBody(CreateEnrollmentCode, await readJson(event.request));
	return json(unwrap(ctx.services.enrollment.create(maId, actor, body)), 201);
});

export const GET = route((event) => {
	const { ctx, maId } = forCollection(event, 'read', 'enrollment-code');
	return json({ items: ctx.services.enrollment.list(maId) });
});
