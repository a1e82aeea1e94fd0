/** MA API: the MA's command-signing public keys (SCOMO-SEC-01): the current one and rotated ones still in their overlap. */
import { json } from '$lib/server/http';
import { forCollection, route } from '../ma-api';

export const GET = route((event) => {
	const { ctx, maId } = forCollection(event, 'read', 'settings');
	return json({ items: ctx.services.signing.listKeys(maId) });
});
