/**
 * MA API: revoke a device (SCOMO-SEC-02). The MA ends its enrollment (its open operations there end with
 * 1462); a device left with no MA is revoked outright: its socket is closed at once and it is refused from
 * then on. Owners and operators (and operate tokens): 'operate' on the device.
 */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/devices/{id}/revoke', ({ ctx, ma, event }) =>
	json(unwrap(ctx.services.signing.revokeEnrollment(ma.maId, ma.actor, event.params.id!)))
);
