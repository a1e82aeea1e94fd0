/** Device endpoint: enroll with an MA through a one-time code (no bearer; the code and key proof are the credentials). */
import { EnrollRequest } from '$lib/contract';
import { appContext } from '$lib/server/app-context';
import { json, parseBody, readJson, unwrap } from '$lib/server/http';
import { route } from '../../v1/ma-api';

export const POST = route(async (event) => {
	const ctx = appContext();
	const body = parseBody(EnrollRequest, await readJson(event.request));
	const enrolled = unwrap(ctx.services.enrollment.enroll(body));
	// SCOMO-SEC-01: the device pins the MA's command-signing keys from this statement.
	return json({ ...enrolled, trust: ctx.services.signing.trust.current(enrolled.ma.id) }, 201);
});
