/**
 * Building blocks of the wire contract: identifiers and vocabularies shared by every message.
 * Valibot schemas so that the server, the PWA and the agent validate with the same rules.
 */
import * as v from 'valibot';
import { OPERATION_KINDS, CONSENT_MODES, OPERATIONAL_STATES, OPERATION_STATUSES } from '../core';

/** UUIDs (v7 for rows we create; devices may have any version). */
export const Id = v.pipe(v.string(), v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID'));

/** Reverse-DNS component identifier, e.g. com.example.clock. */
export const ComponentId = v.pipe(
	v.string(),
	v.maxLength(128, 'component id is too long (128 characters at most)'),
	v.regex(/^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/, 'component id must be reverse-DNS, e.g. com.example.clock')
);

/** Semantic version (major.minor.patch with optional pre-release). */
export const Version = v.pipe(
	v.string(),
	v.maxLength(64, 'version is too long'),
	v.regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'version must look like 1.2.3')
);

/** Correlator of one operation (SCOMO's OperationComplete alert carries it back). */
export const Correlator = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'malformed correlator'));

export const OperationKindSchema = v.picklist(OPERATION_KINDS, 'unknown operation kind');
export const ConsentModeSchema = v.picklist(CONSENT_MODES, 'consent mode must be silent, notify or confirm');
export const OperationalStateSchema = v.picklist(OPERATIONAL_STATES, 'unknown operational state');
export const OperationStatusSchema = v.picklist(OPERATION_STATUSES, 'unknown operation status');

/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). Rendered in a
 * name they reorder what people read ("\u202Eexe.txt" shows as "txt.exe"), so text that others see
 * (MA, device and component names, intents) may not carry them. Plain right-to-left text needs none.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** Free text shown to people (intent messages, notes): bounded, no control characters, no bidi controls. */
export const HumanText = (max: number) =>
	v.pipe(
		v.string(),
		v.maxLength(max, `text is too long (${max} characters at most)`),
		v.check((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'text contains control characters'),
		v.check((s) => !BIDI_CONTROLS.test(s), 'text contains bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)')
	);

/** Base64url without padding (keys, signatures, nonces). */
export const Base64Url = (max = 4096) =>
	v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9_-]*$/, 'must be base64url'));

export const Sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest'));

/** Baseline build ID (SCOMO-HLFR-9): an opaque factory build identifier. */
export const BaselineId = v.pipe(
	v.string(),
	v.minLength(1, 'baseline build ID is required'),
	v.maxLength(128, 'baseline build ID is too long'),
	v.regex(/^[\x21-\x7e]+$/, 'baseline build ID must be printable ASCII without spaces')
);

/** One inventory entry, as core's ComponentState (SCOMO Inventory/Delivered and Inventory/Deployed). */
export const ComponentStateSchema = v.variant('stage', [
	v.strictObject({ stage: v.literal('delivered'), componentId: ComponentId, version: Version }),
	v.strictObject({
		stage: v.literal('deployed'),
		componentId: ComponentId,
		version: Version,
		state: v.picklist(['Active', 'Inactive']),
		operational: OperationalStateSchema
	})
]);

/**
 * An inventory entry with the MA that owns it, as the device reports its whole inventory. Component IDs are
 * unique per MA only, so the owner is what tells two MAs' "com.example.x" apart. `maId` is optional so a
 * device built before namespacing still reports; the server then attributes the entry only when exactly one
 * of the device's MAs has a component by that ID.
 */
export const OwnedComponentStateSchema = v.variant('stage', [
	v.strictObject({ stage: v.literal('delivered'), componentId: ComponentId, version: Version, maId: v.optional(Id) }),
	v.strictObject({
		stage: v.literal('deployed'),
		componentId: ComponentId,
		version: Version,
		state: v.picklist(['Active', 'Inactive']),
		operational: OperationalStateSchema,
		maId: v.optional(Id)
	})
]);

export type ValidationIssue = { path: string; message: string };

/** Parse with a schema and return errors as values: { ok, value } or { ok: false, issues }. */
export function parse<S extends v.GenericSchema>(
	schema: S,
	input: unknown
): { ok: true; value: v.InferOutput<S> } | { ok: false; issues: ValidationIssue[] } {
	const r = v.safeParse(schema, input);
	if (r.success) return { ok: true, value: r.output };
	return {
		ok: false,
		issues: r.issues.slice(0, 10).map((i) => ({
			path: (i.path ?? []).map((p) => String(p.key)).join('.') || '(root)',
			message: i.message
		}))
	};
}
