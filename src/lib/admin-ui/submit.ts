/**
 * Posts a form action of another page (e.g. /admin/operations?/create from a device page) the way
 * SvelteKit's enhance does, and returns its result as a value: the data, or an error in words.
 */
import { deserialize } from '$app/forms';

export type ActionOutcome<T> = { ok: true; data: T } | { ok: false; error: string; status: number };

export async function postAction<T = Record<string, unknown>>(action: string, body: FormData): Promise<ActionOutcome<T>> {
	let res: Response;
	try {
		res = await fetch(action, { method: 'POST', body, headers: { accept: 'application/json', 'x-sveltekit-action': 'true' } });
	} catch {
		return { ok: false, status: 0, error: 'The server could not be reached; check the connection and try again.' };
	}
	const result = deserialize(await res.text());
	switch (result.type) {
		case 'success':
			return { ok: true, data: (result.data ?? {}) as T };
		case 'failure':
			return { ok: false, status: result.status, error: String((result.data as { error?: string } | undefined)?.error ?? 'The request was refused.') };
		case 'redirect':
			window.location.assign(result.location);
			return { ok: false, status: result.status, error: 'Redirected.' };
		case 'error': {
			const e = result.error as { message?: string } | undefined;
			const status = result.status ?? 500;
			const why = status === 403 ? 'Your role does not allow this.' : status === 404 ? 'Not found (it may have been removed).' : '';
			return { ok: false, status, error: [why, e?.message].filter(Boolean).join(' ') || 'Something went wrong.' };
		}
	}
}
