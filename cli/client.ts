/**
 * The CLI's HTTP client of the MA REST API (/api/v1): bearer token, JSON in and out. An answer that is not
 * 2xx becomes an ApiFailure with the contract's stable error code, which main.ts prints and exits on.
 */
import type { ApiErrorBody } from '../src/lib/contract';

export class ApiFailure extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly position?: number
	) {
		super(message);
	}
}

export type Page<T> = { items: T[]; nextCursor: string | null; total: number };

export class RestClient {
	constructor(
		readonly baseUrl: string,
		private readonly token: string
	) {}

	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		let res: Response;
		try {
			res = await fetch(new URL(path, this.baseUrl), {
				method,
				headers: {
					authorization: `Bearer ${this.token}`,
					accept: 'application/json',
					...(body !== undefined ? { 'content-type': 'application/json' } : {})
				},
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		} catch (e) {
			throw new ApiFailure(0, 'unreachable', `cannot reach ${this.baseUrl}: ${(e as Error).cause ?? (e as Error).message}`);
		}
		const text = await res.text();
		let parsed: unknown = undefined;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: reported below when the status is an error
		}
		if (!res.ok) {
			const err = (parsed as Partial<ApiErrorBody> | undefined)?.error;
			throw new ApiFailure(res.status, err?.code ?? `http_${res.status}`, err?.message ?? (text.slice(0, 200) || res.statusText), (err as { position?: number } | undefined)?.position);
		}
		return parsed as T;
	}

	get = <T>(path: string, query: Record<string, string | number | undefined> = {}) => {
		const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)]));
		const qs = q.toString();
		return this.request<T>('GET', qs ? `${path}?${qs}` : path);
	};

	/**
	 * One page of a paged list, or every page when `all` (following nextCursor): the total is the server's.
	 * Pages are fetched one after another, so memory holds what is printed, not more.
	 */
	async list<T>(path: string, query: Record<string, string | number | undefined>, all: boolean): Promise<Page<T>> {
		const first = await this.get<Page<T>>(path, query);
		if (!all) return first;
		const items = [...first.items];
		let cursor = first.nextCursor;
		while (cursor) {
			const next = await this.get<Page<T>>(path, { ...query, cursor });
			items.push(...next.items);
			cursor = next.nextCursor;
		}
		return { items, nextCursor: null, total: first.total };
	}
}
