/**
 * Every /api error in one shape, `{ error: { code, message } }` with the status of its code (contract/errors.ts),
 * including the errors our routes never see: those SvelteKit answers before any hook (a malformed path, its
 * cross-site form check), those it answers after (405 for a method a route does not export), and those Node's
 * HTTP parser answers (431 oversized headers). API clients then never have to parse an HTML page or plain text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from '../contract/errors';

const isApiPath = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

const body = (code: ErrorCode, message: string) => JSON.stringify({ error: { code, message } });

/** Content types a browser form can send cross-site without a preflight: SvelteKit refuses them (CSRF), so do we, in JSON. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Before SvelteKit: answers what it would refuse with a text or HTML page. Returns true when it answered.
 * - a path that is not valid percent-encoding (e.g. /api/device/bundles/%ZZ): 400 invalid_request;
 * - a body-carrying request with a form content type: 403 forbidden (the API takes JSON; this is also
 *   SvelteKit's cross-site request forgery rule).
 */
export function refuseApiRequestBeforeKit(req: IncomingMessage, res: ServerResponse): boolean {
	const url = req.url ?? '/';
	if (!isApiPath(url)) return false;
	const path = url.split('?')[0]!;
	try {
		decodeURIComponent(path);
	} catch {
		send(res, 'invalid_request', 'the path is not valid percent-encoding');
		return true;
	}
	const method = req.method ?? 'GET';
	const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
	if (method !== 'GET' && method !== 'HEAD' && FORM_TYPES.includes(type)) {
		send(res, 'forbidden', `the API takes JSON bodies (content-type: application/json), not ${type}`);
		return true;
	}
	return false;
}

function send(res: ServerResponse, code: ErrorCode, message: string): void {
	res.statusCode = ERROR_CODES[code].status;
	res.setHeader('content-type', 'application/json; charset=utf-8');
	res.setHeader('cache-control', 'no-store');
	res.end(body(code, message));
}

/** After SvelteKit, from the hook: a non-JSON error answer on an /api path becomes the JSON shape (e.g. 405). */
export async function inApiErrorShape(pathname: string, response: Response): Promise<Response> {
	if (!isApiPath(pathname) || response.status < 400) return response;
	if ((response.headers.get('content-type') ?? '').includes('application/json')) return response;
	const code = codeForStatus(response.status);
	const text = (await response.text().catch(() => '')).trim();
	const headers = new Headers(response.headers);
	headers.set('content-type', 'application/json; charset=utf-8');
	headers.delete('content-length');
	const message = text && !text.startsWith('<') ? text.slice(0, 200) : ERROR_CODES[code].text;
	return new Response(body(code, message), { status: response.status, headers });
}

function codeForStatus(status: number): ErrorCode {
	const exact = (Object.keys(ERROR_CODES) as ErrorCode[]).find(
		(c) => ERROR_CODES[c].status === status && !['enrollment_code_invalid', 'device_unknown', 'device_auth_failed', 'not_authenticated', 'download_token_invalid'].includes(c)
	);
	return exact ?? (status >= 500 ? 'internal' : 'invalid_request');
}

/**
 * Node's HTTP parser refuses a request before any handler runs (headers over the limit, a malformed request
 * line). It would write a bare status line; this writes the JSON shape. The URL is not known yet, so every
 * path gets it (a browser never sends 16 KiB of headers to a page).
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
	const code = err.code ?? '';
	// Not a parse error (a reset, a timeout): do what Node does without a listener.
	if (!socket.writable || !code.startsWith('HPE_')) {
		if (socket.writable && code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\r\n');
		else socket.destroy();
		return;
	}
	const tooLarge = code === 'HPE_HEADER_OVERFLOW';
	const errorCode: ErrorCode = tooLarge ? 'headers_too_large' : 'invalid_request';
	const text = body(errorCode, tooLarge ? 'the request headers are too large' : 'the request could not be parsed');
	socket.end(
		`HTTP/1.1 ${ERROR_CODES[errorCode].status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
			`content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`
	);
}
