import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/contract/safe-next';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'), url.origin);
	// Already signed in: go where you were going.
	if (locals.actor?.type === 'admin') redirect(303, next);
	const signedOut = url.searchParams.has('signedout');
	// Right after signing out, the browser's passkey autofill is not armed: some browsers and tools would
	// pick the passkey by themselves and undo the sign-out. `autofill=off` asks for the same explicitly.
	const autofill = !signedOut && url.searchParams.get('autofill') !== 'off';
	return { next, signedOut, autofill };
};
