/**
 * First run (and scripted installs): a one-time setup link creates a Management Authority and registers
 * its first owner's passkey. The link comes from the server's start-up output, <dataDir>/setup-link.txt,
 * or `npm run setup-link`.
 */
import { setupTokenValid } from '$lib/server/auth/first-run';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, locals }) => {
	const ctx = locals.app;
	const token = url.searchParams.get('token') ?? '';
	return { token, valid: token !== '' && setupTokenValid(ctx.store.db, token, ctx.clock()) };
};
