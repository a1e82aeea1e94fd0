/** Device endpoint: enroll with an MA through a one-time code (no bearer; the code and key proof are the credentials). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/device/enroll', ({ ctx, body }) => {
	const enrolled = unwrap(ctx.services.enrollment.enroll(body));
	// SCOMO-SEC-01: the device pins the MA's command-signing keys from this statement.
	return json({ ...enrolled, trust: ctx.services.signing.trust.current(enrolled.ma.id) }, 201);
});
