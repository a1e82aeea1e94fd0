/** MA API: the MA's command-signing public keys (SCOMO-SEC-01): the current one and rotated ones still in their overlap. */
import { json } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/signing-keys', ({ ctx, ma }) => json({ items: ctx.services.signing.listKeys(ma.maId) }));
