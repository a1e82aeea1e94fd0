/**
 * Canonical JSON for everything that is signed (command envelopes, trust statements, device results):
 * object keys sorted by UTF-16 code units, no whitespace, `undefined` members left out, numbers as
 * JSON.stringify writes them. The signer and the verifier serialise the same value to the same bytes,
 * whatever order the fields arrived in over the wire (SCOMO-SEC-01).
 *
 * Only JSON values are accepted: a non-finite number, a function or a bigint throws, because signing
 * something that cannot round-trip through JSON would sign something the verifier never sees.
 */
export function canonicalJson(value: unknown): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return JSON.stringify(value);
		case 'number':
			if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
			return JSON.stringify(value);
		case 'object': {
			if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
			const entries = Object.keys(value as object)
				.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
				.sort()
				.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
			return `{${entries.join(',')}}`;
		}
		default:
			throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
	}
}
