/// <reference types="vite-plugin-pwa/client" />
// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Actor } from '$lib/core/policy';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			/** Who is asking: an administrator (session cookie), an MA API token (bearer), or nobody. */
			actor: Actor | null;
			/** The MA the request acts within (the administrator's current MA, or the token's MA). */
			maId: string | null;
			/** The administrator's session (cookie), when signed in with a passkey; null for tokens and nobody. */
			session: { idHash: string; adminId: string } | null;
		}
	}
}

export {};
