/**
 * JSON helpers for API routes: errors as `{ error: { code, message, issues? } }` with the status from
 * ERROR_CODES, bounded body reading (413), contract parsing (400). Routes stay thin: parse, authorise,
 * call a service, map its outcome.
 */
import * as v from 'valibot';
import { ERROR_CODES, parse, type ApiError, type ErrorCode, type ValidationIssue } from '../contract';
import type { Outcome } from './services/errors';

/** Ordinary JSON bodies; uploads and large batches pass their own limit. */
export const DEFAULT_JSON_LIMIT = 64 * 1024;

/** Thrown inside a route to answer with an API error; caught by apiRoute(). Exceptions only at this edge. */
export class ApiProblem extends Error {
	constructor(public readonly error: ApiError) {
		super(error.message);
	}
}

export const problem = (code: ErrorCode, message?: string, issues?: ValidationIssue[]) =>
	new ApiProblem({ code, message: message ?? ERROR_CODES[code].text, ...(issues ? { issues } : {}) });

export function errorResponse(e: ApiError): Response {
	return json({ error: e }, ERROR_CODES[e.code]?.status ?? 500);
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});
}

/** The value of an ok outcome, or an ApiProblem for the route wrapper to answer. */
export function unwrap<T>(o: Outcome<T>): T {
	if (!o.ok) throw new ApiProblem(o.error);
	return o.value;
}

/** Reads a JSON body of at most `limit` bytes: 413 beyond, 400 when it is not JSON. */
export async function readJson(request: Request, limit = DEFAULT_JSON_LIMIT): Promise<unknown> {
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > limit) throw problem('payload_too_large', `the body is larger than ${limit} bytes`);
	if (!request.body) throw problem('invalid_request', 'a JSON body is required');
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				await reader.cancel().catch(() => {});
				throw problem('payload_too_large', `the body is larger than ${limit} bytes`);
			}
			chunks.push(value);
		}
	} catch (e) {
		if (e instanceof ApiProblem) throw e;
		// adapter-node's own limit (BODY_SIZE_LIMIT) errors the stream with status 413.
		if ((e as { status?: number }).status === 413) throw problem('payload_too_large');
		throw problem('invalid_request', 'the body could not be read');
	}
	const text = Buffer.concat(chunks).toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		throw problem('invalid_request', 'the body is not valid JSON');
	}
}

/** Parses with a contract schema: 400 invalid_request with the issues when it does not match. */
export function parseBody<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
	const r = parse(schema, value);
	if (!r.ok) throw problem('invalid_request', 'the request does not match the contract', r.issues);
	return r.value;
}

/** Wraps a route handler: ApiProblem → its JSON error; anything else → 500 internal (logged). */
export function apiRoute<E>(
	fn: (event: E) => Promise<Response> | Response,
	onError: (e: unknown, event: E) => void = (e) => console.error(e)
): (event: E) => Promise<Response> {
	return async (event: E) => {
		try {
			return await fn(event);
		} catch (e) {
			if (e instanceof ApiProblem) return errorResponse(e.error);
			onError(e, event);
			return errorResponse({ code: 'internal', message: ERROR_CODES.internal.text });
		}
	};
}
