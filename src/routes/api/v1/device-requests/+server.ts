/** MA API: device-initiated requests (SCOMO-Device-06). */
import { json, problem } from '$lib/server/http';
import { forCollection, route } from '../ma-api';

const STATUSES = ['pending', 'approved', 'refused'];

export const GET = route((event) => {
	const { ctx, maId } = forCollection(event, 'read', 'device-request');
	const status = event.url.searchParams.get('status') ?? undefined;
	if (status !== undefined && !STATUSES.includes(status)) throw problem('invalid_request', `status must be one of ${STATUSES.join(', ')}`);
	return json({ items: ctx.services.deviceRequests.list(maId, status) });
});
