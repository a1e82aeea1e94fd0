import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Absolute asset URLs: the device shell is served offline for any /device/... path, so relative
		// ./_app/... imports would resolve under the wrong folder.
		paths: { relative: false },
		// CSRF origin check stays on (SCOMO-SEC-02); the REST API authenticates with bearer tokens.
		csrf: { trustedOrigins: [] },
		// Content-Security-Policy of admin and device pages (docs/security.md): nonces on rendered pages, hashes
		// in a meta tag on the prerendered device shell. The other headers: src/lib/server/security-headers.ts.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// blob: and the hash: the component sandbox (src/lib/device-browser/sandbox-harness.ts) is a srcdoc
				// iframe, which inherits this policy; its one inline script has this hash (a unit test keeps it
				// current), and it runs each component in a Worker loaded from a blob: URL with importScripts().
				'script-src': ['self', 'blob:', 'sha256-ypPPzyWTKOPUIgkdyG/YsQ2ZaJY4bOT3lzPOhMmhX+w='],
				'worker-src': ['self', 'blob:'],
				// Svelte sets style attributes and transition styles at run time.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				// 'self' covers the same-origin socket.io WebSocket; https:/wss: only because sandboxed components
				// with the 'network' permission inherit this policy (their frame narrows it again).
				'connect-src': ['self', 'https:', 'wss:'],
				'manifest-src': ['self'],
				'frame-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
