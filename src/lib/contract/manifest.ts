/**
 * A component package's manifest. The bundle is one JavaScript file (the entry) that runs in a Worker in
 * the PWA or a worker thread in the agent; the manifest tells the user what it asks for (SCOMO-USA-4).
 */
import * as v from 'valibot';
import { ComponentId, Version, HumanText, BaselineId } from './common';

/** Permissions a component may ask for; each has a sentence the consent prompt shows. */
export const PERMISSIONS = {
	network: 'Connect to the internet.',
	storage: 'Keep its own data on this device.',
	notifications: 'Show you notifications.',
	location: 'Know where this device is.',
	camera: 'Use the camera.',
	microphone: 'Use the microphone.',
	ui: 'Show its own screen inside the device app.'
} as const;
export type Permission = keyof typeof PERMISSIONS;

export const ManifestSchema = v.strictObject({
	id: ComponentId,
	name: v.pipe(HumanText(80), v.minLength(1, 'name is required')),
	version: Version,
	description: v.optional(HumanText(2000), ''),
	permissions: v.optional(
		v.pipe(
			v.array(v.picklist(Object.keys(PERMISSIONS) as Permission[], 'unknown permission')),
			v.maxLength(16)
		),
		[]
	),
	/** Baseline build IDs the component runs on (SCOMO-HLFR-9); ['*'] = any. */
	compatibleBaselines: v.pipe(
		v.array(v.union([v.literal('*'), BaselineId])),
		v.minLength(1, 'list at least one compatible baseline, or "*" for any'),
		v.maxLength(64)
	),
	/** File name of the bundle, e.g. main.js. */
	entry: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,64}\.m?js$/, 'entry must be a .js file name'))
});

export type Manifest = v.InferOutput<typeof ManifestSchema>;
