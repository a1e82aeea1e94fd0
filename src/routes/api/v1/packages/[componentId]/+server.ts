/** MA API: one package with its versions. */
import { json, unwrap } from '$lib/server/http';
import { forResource, route } from '../../ma-api';

export const GET = route((event) => {
	const componentId = event.params.componentId!;
	const { ctx, maId } = forResource(event, 'read', 'package', componentId);
	return json(unwrap(ctx.services.packages.get(maId, componentId)));
});
