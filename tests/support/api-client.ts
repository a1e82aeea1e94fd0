/**
 * A small typed client of the MA REST API (/api/v1) and the device endpoints, for tests. Every call
 * returns { status, body } and never throws on an HTTP error, so tests assert codes directly.
 */
import { PATIENCE_MS } from './patience';
import type { EnrollRequestBody, EnrollResponse, ApiErrorBody, Manifest, CreateOperationsBody } from '../../src/lib/contract';
import type {
	OperationView,
	DeviceView,
	InventoryItemView,
	PackageView,
	EnrollmentCodeView,
	DeviceRequestView
} from '../../src/lib/server/services/views';

export type { OperationView, DeviceView, InventoryItemView, PackageView, EnrollmentCodeView, DeviceRequestView };

export type PageQuery = { limit?: number; cursor?: string };
export type Page<T> = { items: T[]; nextCursor: string | null; total: number };
const queryOf = (q: Record<string, string | number | undefined>) => {
	const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
	return s.size ? `?${s}` : '';
};

export type Reply<T> = { status: number; body: T & Partial<ApiErrorBody>; headers: Headers };

export class ApiClient {
	constructor(
		readonly baseUrl: string,
		readonly token: string | null
	) {}

	withToken(token: string | null): ApiClient {
		return new ApiClient(this.baseUrl, token);
	}

	async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
		const res = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		const text = await res.text();
		let parsed: unknown = null;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			parsed = { raw: text };
		}
		return { status: res.status, body: parsed as T & Partial<ApiErrorBody>, headers: res.headers };
	}

	// ----- MA API -----
	createEnrollmentCode(body: { label?: string; expiresInSeconds?: number } = {}) {
		return this.request<{ id: string; code: string; expiresAt: number; link: string }>('POST', '/api/v1/enrollment-codes', body);
	}
	/** One page of the codes (default: the newest 100). */
	listEnrollmentCodes(page: PageQuery = {}) {
		return this.request<Page<EnrollmentCodeView>>('GET', `/api/v1/enrollment-codes${queryOf(page)}`);
	}
	revokeEnrollmentCode(id: string) {
		return this.request<null>('DELETE', `/api/v1/enrollment-codes/${id}`);
	}
	uploadPackage(manifest: Manifest | Record<string, unknown>, bundle: string, encoding?: 'utf8' | 'base64') {
		return this.request<{ packageId: string; versionId: string; componentId: string; version: string; sha256: string; size: number }>(
			'POST',
			'/api/v1/packages',
			{ manifest, bundle, ...(encoding ? { encoding } : {}) }
		);
	}
	/** One page of the packages (default: the first 100 in component ID order). */
	listPackages(page: PageQuery = {}) {
		return this.request<Page<PackageView>>('GET', `/api/v1/packages${queryOf(page)}`);
	}
	getPackage(componentId: string) {
		return this.request<PackageView>('GET', `/api/v1/packages/${encodeURIComponent(componentId)}`);
	}
	/** One page of the devices list (default: the first 100, every device), optionally filtered. */
	listDevices(query: { filter?: string; limit?: number; cursor?: string } = {}) {
		const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
		return this.request<{ items: DeviceView[]; nextCursor: string | null; total: number }>('GET', `/api/v1/devices${q.size ? `?${q}` : ''}`);
	}
	getDevice(id: string) {
		return this.request<{ device: DeviceView; inventory: InventoryItemView[] }>('GET', `/api/v1/devices/${id}`);
	}
	getInventory(id: string) {
		return this.request<{ items: InventoryItemView[] }>('GET', `/api/v1/devices/${id}/inventory`);
	}
	createOperations(body: Partial<CreateOperationsBody> & Pick<CreateOperationsBody, 'deviceIds' | 'operations'>) {
		return this.request<{ batchId: string; operations: OperationView[] }>('POST', '/api/v1/operations', {
			consentMode: 'silent',
			...body
		});
	}
	listOperations(q: { deviceId?: string; status?: string; batchId?: string; limit?: number; cursor?: string } = {}) {
		const s = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
		return this.request<{ items: OperationView[]; nextCursor: string | null; total: number }>('GET', `/api/v1/operations${s.size ? `?${s}` : ''}`);
	}
	getOperation(correlator: string) {
		return this.request<OperationView>('GET', `/api/v1/operations/${correlator}`);
	}
	cancelOperation(correlator: string) {
		return this.request<OperationView>('POST', `/api/v1/operations/${correlator}/cancel`);
	}
	/** One page of the device requests (default: the newest 100), optionally in one status. */
	listDeviceRequests(status?: string, page: PageQuery = {}) {
		return this.request<Page<DeviceRequestView>>('GET', `/api/v1/device-requests${queryOf({ status, ...page })}`);
	}
	decideDeviceRequest(id: string, body: { decision: 'approve' | 'refuse'; consentMode?: string; message?: string }) {
		return this.request<{ request: DeviceRequestView; operation: OperationView | null }>(
			'POST',
			`/api/v1/device-requests/${id}/decision`,
			body
		);
	}

	// ----- device endpoints -----
	enroll(body: EnrollRequestBody | Record<string, unknown>) {
		return this.request<EnrollResponse>('POST', '/api/device/enroll', body);
	}

	/** Polls an operation until `done` holds (no timing assertion: only a generous upper bound). */
	async waitForOperation(correlator: string, done: (op: OperationView) => boolean, timeoutMs = PATIENCE_MS): Promise<OperationView> {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const r = await this.getOperation(correlator);
			if (r.status === 200 && done(r.body)) return r.body;
			if (Date.now() > until) throw new Error(`operation ${correlator} did not reach the expected state: ${JSON.stringify(r.body)}`);
			await new Promise((res) => setTimeout(res, 50));
		}
	}
}
