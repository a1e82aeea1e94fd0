/// <reference types="vite-plugin-pwa/client" />
// See https://svelte.dev/docs/kit/types#app.d.ts
import type { IncomingMessage } from 'node:http';
import type { Actor } from '$lib/core/policy';
import type { AppContext } from '$lib/server/app-context';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			/** The server's app: config, store, services (set by hooks.server.ts from the request; src/lib/server/app-request.ts). */
			app: AppContext;
			/** Who is asking: an administrator (session cookie), an MA API token (bearer), or nobody. */
			actor: Actor | null;
			/** The MA the request acts within (the administrator's current MA, or the token's MA). */
			maId: string | null;
			/** The administrator's session (cookie), when signed in with a passkey; null for tokens and nobody. */
			session: { idHash: string; adminId: string } | null;
		}
		/** adapter-node's platform: the Node request, which carries the app (src/lib/server/app-request.ts). */
		interface Platform {
			req: IncomingMessage;
		}
	}
}

export {};
