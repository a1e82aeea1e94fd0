/** MA API: create operations (one or many devices, one step or a batch), list operations. */
import { CreateOperations, OperationStatusSchema, parse } from '$lib/contract';
import { json, parseBody, readJson, unwrap, problem } from '$lib/server/http';
import { forCollection, route } from '../ma-api';

/** Up to 100 000 device IDs of 36 characters each. */
const CREATE_LIMIT = 8 * 1024 * 1024;

export const POST = route(async (event) => {
	const { ctx, maId, actor } = forCollection(event, 'operate', 'operation');
	const body = parseBody(CreateOperations, await readJson(event.request, CREATE_LIMIT));
	return json(unwrap(ctx.services.operations.create(maId, actor, body)), 202);
});

export const GET = route((event) => {
	const { ctx, maId } = forCollection(event, 'read', 'operation');
	const q = event.url.searchParams;
	const status = q.get('status') ?? undefined;
	if (status !== undefined && !parse(OperationStatusSchema, status).ok) throw problem('invalid_request', `unknown status ${status}`);
	const limitText = q.get('limit');
	const limit = limitText === null ? undefined : Number(limitText);
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
		throw problem('invalid_request', 'limit must be a whole number from 1 to 1000');
	}
	const items = ctx.services.operations.list(maId, {
		deviceId: q.get('deviceId') ?? undefined,
		status,
		batchId: q.get('batchId') ?? undefined,
		limit
	});
	return json({ items });
});
