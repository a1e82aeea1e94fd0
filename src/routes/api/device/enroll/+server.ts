/** Device endpoint: enroll with an MA through a one-time code (no bearer; the code and key proof are the credentials). */
import { json, problem, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/device/enroll', ({ ctx, body, event }) => {
	// Refused attempts are limited per address (auth/rate-limit.ts), checked before any lookup.
	const limiter = ctx.limits.enroll;
	const address = event.getClientAddress();
	const wait = limiter.peek(address, ctx.clock());
	if (wait > 0) throw problem('rate_limited', `Too many refused enrollment attempts; try again in ${wait} s.`);
	const outcome = ctx.services.enrollment.enroll(body);
	if (!outcome.ok) limiter.take(address, ctx.clock());
	const enrolled = unwrap(outcome);
	// SCOMO-SEC-01: the device pins the MA's command-signing keys from this statement.
	return json({ ...enrolled, trust: ctx.services.signing.trust.current(enrolled.ma.id) }, 201);
});
