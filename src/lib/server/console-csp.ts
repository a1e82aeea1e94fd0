/**
 * The narrower Content-Security-Policy of every page that is not the device app (issue #13).
 *
 * kit.csp (svelte.config.js) is one policy for all pages, and it must admit what the device app's component
 * sandbox needs: the sandbox is a srcdoc iframe, which inherits its parent page's policy, so `script-src
 * blob:` (the component's Worker and its importScripts of the bundle come from blob: URLs), `worker-src
 * blob:` and `connect-src https: wss:` (components with the 'network' permission; the frame's own policy
 * narrows that to none without it) have to be in the parent's policy. No other page runs components:
 * the admin console, sign-in, setup and invitations load scripts only from 'self' with nonces and connect
 * only to their own origin (the socket.io WebSocket is same-origin, covered by 'self'). Their rendered
 * responses get those sources removed here.
 */
const DEVICE_APP = /^\/device(\/|$)/;

/** Sources dropped per directive outside the device app. */
const NOT_OUTSIDE_DEVICE_APP: Record<string, string[]> = {
	'script-src': ['blob:'],
	'worker-src': ['blob:'],
	'connect-src': ['https:', 'wss:']
};

export function narrowCsp(policy: string): string {
	return policy
		.split(';')
		.map((d) => d.trim())
		.filter(Boolean)
		.map((directive) => {
			const [name, ...sources] = directive.split(/\s+/);
			const drop = NOT_OUTSIDE_DEVICE_APP[name!.toLowerCase()];
			return drop ? [name, ...sources.filter((s) => !drop.includes(s.toLowerCase()))].join(' ') : directive;
		})
		.join('; ');
}

export function withConsoleCsp(response: Response, pathname: string): Response {
	if (DEVICE_APP.test(pathname)) return response;
	const policy = response.headers.get('content-security-policy');
	if (!policy) return response;
	try {
		response.headers.set('content-security-policy', narrowCsp(policy));
	} catch {
		// An immutable Response: left as it is.
	}
	return response;
}
