/**
 * Builds a REST route handler from its entry in the API registry (contract/api-routes.ts): authorises with
 * the entry's access rule through the one policy (authz.ts), then parses the query and the body with the
 * entry's schemas, then calls the handler with typed input. The OpenAPI document is generated from the same
 * entries, so the published contract is the enforced one.
 */
import type { RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { API_ROUTES, type ApiRouteKey, type RouteSpec } from '../contract/api-routes';
import { parse } from '../contract';
import type { AppContext } from './app-context';
import { auditActorOf, authorizeCollection, authorizeResource, principalOf, type Principal } from './authz';
import { apiRoute, DEFAULT_JSON_LIMIT, problem, readJson, unwrap } from './http';

export type MaRequest = {
	ctx: AppContext;
	principal: Principal;
	maId: string;
	actor: ReturnType<typeof auditActorOf>;
};

type Spec<K extends ApiRouteKey> = (typeof API_ROUTES)[K];
type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;
type BodyOf<K extends ApiRouteKey> = Spec<K> extends { body: infer B } ? Out<B> | (Spec<K> extends { bodyOptional: true } ? undefined : never) : undefined;
type QueryOf<K extends ApiRouteKey> = Spec<K> extends { query: infer Q } ? Out<Q> : undefined;
type MaOf<K extends ApiRouteKey> = Spec<K> extends { access: { type: 'bearer' } } ? MaRequest : null;

export type EndpointInput<K extends ApiRouteKey> = {
	event: RequestEvent;
	ctx: AppContext;
	/** The authorised MA context for bearer routes; null for public ones. */
	ma: MaOf<K>;
	query: QueryOf<K>;
	body: BodyOf<K>;
};

/** JSON bodies above this are refused (413) before they are read. */
function bodyLimit(spec: RouteSpec, maxBundleBytes: number): number {
	switch (spec.bodyLimit) {
		// Up to 100 000 device IDs of 36 characters each.
		case 'operations':
			return 8 * 1024 * 1024;
		// The bundle as base64 (4/3 larger) plus the manifest.
		case 'upload':
			return Math.ceil((maxBundleBytes * 4) / 3) + 256 * 1024;
		default:
			return DEFAULT_JSON_LIMIT;
	}
}

function authorise(event: RequestEvent, ctx: AppContext, spec: RouteSpec): MaRequest | null {
	const access = spec.access;
	if (access.type === 'public') return null;
	const p = unwrap(principalOf(ctx.store.db, event.request, event.locals, ctx.clock()));
	const maId = access.param
		? unwrap(authorizeResource(ctx.store.db, p, access.action, access.kind, event.params[access.param as keyof typeof event.params] ?? ''))
		: unwrap(authorizeCollection(p, access.action, access.kind));
	return { ctx, principal: p!, maId, actor: auditActorOf(p!) };
}

function parseQuery(event: RequestEvent, spec: RouteSpec): unknown {
	if (!spec.query) return undefined;
	const r = parse(spec.query, Object.fromEntries(event.url.searchParams));
	if (!r.ok) throw problem('invalid_request', r.issues.map((i) => `${i.path}: ${i.message}`).join('; '), r.issues);
	return r.value;
}

async function parseRequestBody(event: RequestEvent, spec: RouteSpec, maxBundleBytes: number): Promise<unknown> {
	if (!spec.body) return undefined;
	if (spec.bodyOptional && (event.request.headers.get('content-length') ?? '0') === '0') return undefined;
	const raw = await readJson(event.request, bodyLimit(spec, maxBundleBytes));
	const r = parse(spec.body, raw);
	if (r.ok) return r.value;
	// A package whose only problems are in its manifest is an invalid package (422), not a malformed request.
	if (spec.errors.includes('package_invalid') && r.issues.every((i) => i.path === 'manifest' || i.path.startsWith('manifest.'))) {
		throw problem('package_invalid', 'the manifest is not valid', r.issues);
	}
	throw problem('invalid_request', 'the request does not match the contract', r.issues);
}

/** The handler of registry entry `key`. */
export function endpoint<K extends ApiRouteKey>(key: K, fn: (input: EndpointInput<K>) => Promise<Response> | Response) {
	const spec: RouteSpec = API_ROUTES[key];
	return apiRoute(
		async (event: RequestEvent) => {
			const ctx = event.locals.app;
			const ma = authorise(event, ctx, spec);
			const query = parseQuery(event, spec);
			const body = await parseRequestBody(event, spec, ctx.config.maxBundleBytes);
			return fn({ event, ctx, ma, query, body } as EndpointInput<K>);
		},
		(e, event) => {
			const log = event.locals.app?.log;
			if (log) log.error({ err: e, route: key }, 'API route failed');
			else console.error(e);
		}
	);
}
