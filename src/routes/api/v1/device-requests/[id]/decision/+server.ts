/** MA API: approve (creates the operation) or refuse a device request (SCOMO-Device-06). */
import { DecideDeviceRequest } from '$lib/contract';
import { json, parseBody, readJson, unwrap } from '$lib/server/http';
import { forResource, route } from '../../../ma-api';

export const POST = route(async (event) => {
	const id = event.params.id!;
	const { ctx, maId, actor } = forResource(event, 'operate', 'device-request', id);
	const body = parseBody(DecideDeviceRequest, await readJson(event.request));
	return json(unwrap(ctx.services.deviceRequests.decide(maId, actor, id, body)));
});
