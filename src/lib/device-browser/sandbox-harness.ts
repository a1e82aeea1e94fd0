/**
 * The two harnesses of the PWA's component sandbox (see sandbox-runner.ts for the design):
 * - FRAME_HTML: the document of a sandboxed iframe (`sandbox="allow-scripts"`, no allow-same-origin, so an
 *   opaque origin with no access to the PWA's IndexedDB, Cache Storage, cookies or service worker). It only
 *   creates the component's Worker from a Blob URL and relays messages over the MessagePort the PWA gave it.
 * - WORKER_HARNESS: runs first inside that Worker and gives the bundle the same API as the agent's
 *   worker-thread harness (agent/worker-runner.ts): `globalThis.scomo = { componentId, onStop(fn), log(...) }`,
 *   plus `render(html)` when the manifest asks for the 'ui' permission.
 *
 * Both are plain JavaScript strings: they run in contexts that share nothing with the app's bundle.
 */

// Inside the worker. The bundle is loaded with importScripts() so a syntax error or a throw while it is
// evaluated is caught here ('start-failed'), and a later uncaught error is reported as 'crashed'.
export const WORKER_HARNESS = `
'use strict';
const post = self.postMessage.bind(self);
const realClose = self.close.bind(self);
const stopHandlers = [];
let started = false;
const text = (a) => { if (typeof a === 'string') return a; try { return JSON.stringify(a); } catch { return String(a); } };
const errText = (e) => String((e && e.message) || e).slice(0, 400);
self.addEventListener('error', (e) => {
	if (!started) return;
	e.preventDefault();
	post({ type: 'crashed', message: errText(e.error || e.message) });
});
self.addEventListener('unhandledrejection', (e) => {
	post({ type: 'crashed', message: 'unhandled rejection: ' + errText(e.reason) });
});
// A component that ends itself is Stopped, as a worker thread exiting with code 0 in the agent.
self.close = () => { post({ type: 'exited' }); realClose(); };
self.addEventListener('message', async (m) => {
	const d = m.data;
	if (!d || typeof d !== 'object') return;
	if (d.type === 'start' && !started) {
		const api = {
			componentId: d.componentId,
			onStop(fn) { if (typeof fn === 'function') stopHandlers.push(fn); },
			log(...args) { post({ type: 'log', text: args.map(text).join(' ').slice(0, 1000) }); }
		};
		if (d.ui) api.render = (html) => post({ type: 'render', html: String(html).slice(0, 100000) });
		globalThis.scomo = Object.freeze(api);
		try {
			importScripts(d.src);
			started = true;
			post({ type: 'running' });
		} catch (e) {
			post({ type: 'start-failed', message: errText(e) });
		}
	} else if (d.type === 'stop') {
		for (const fn of stopHandlers) {
			try { await fn(); } catch (e) { post({ type: 'log', text: 'onStop failed: ' + errText(e) }); }
		}
		post({ type: 'stopped' });
	}
});
`;

/**
 * The sandboxed iframe's document. Its Content-Security-Policy (a meta tag: the frame's own, and inherited by
 * the Blob-URL worker) allows scripts only inline and from blob: URLs, and network access only with the
 * 'network' permission (then https/wss only, never the PWA's own http origin in development).
 */
export function frameHtml(connectSrc: string): string {
	const csp = `default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; connect-src ${connectSrc}; img-src data: blob:; style-src 'unsafe-inline'`;
	return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body><script>
(() => {
	'use strict';
	let port = null;
	let worker = null;
	const HARNESS = ${JSON.stringify(WORKER_HARNESS)};
	addEventListener('message', (e) => {
		const d = e.data;
		if (port || e.source !== parent || !d || d.type !== 'scomo:init' || !e.ports || !e.ports[0]) return;
		port = e.ports[0];
		try {
			const src = URL.createObjectURL(new Blob([String(d.code)], { type: 'text/javascript' }));
			worker = new Worker(URL.createObjectURL(new Blob([HARNESS], { type: 'text/javascript' })), { name: String(d.componentId) });
			worker.onmessage = (m) => port.postMessage(m.data);
			worker.onerror = (ev) => { ev.preventDefault(); port.postMessage({ type: 'crashed', message: String(ev.message || 'worker error') }); };
			port.onmessage = (m) => { if (m.data && m.data.type === 'stop') worker.postMessage({ type: 'stop' }); };
			worker.postMessage({ type: 'start', componentId: String(d.componentId), src, ui: d.ui === true });
		} catch (err) {
			port.postMessage({ type: 'start-failed', message: 'the sandbox could not start a worker: ' + String((err && err.message) || err) });
		}
	});
})();
</script></body></html>`;
}
