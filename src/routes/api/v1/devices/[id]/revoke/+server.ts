/**
 * MA API: revoke a device (SCOMO-SEC-02). The MA ends its enrollment (its open operations there end with
 * 1462); a device left with no MA is revoked outright: its socket is closed at once and it is refused from
 * then on. Owners and operators (and operate tokens): 'operate' on the device.
 */
import { json, unwrap } from '$lib/server/http';
import { forResource, route } from '../../../ma-api';

export const POST = route((event) => {
	const id = event.params.id!;
	const { ctx, maId, actor } = forResource(event, 'operate', 'device', id);
	return json(unwrap(ctx.services.signing.revokeEnrollment(maId, actor, id)));
});
