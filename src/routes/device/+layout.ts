// The device app runs entirely in the browser (keys in IndexedDB, components in Workers) and must open
// offline: it is prerendered as a static shell the service worker precaches.
export const ssr = false;
export const prerender = true;
