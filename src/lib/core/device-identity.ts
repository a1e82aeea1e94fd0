/**
 * A device's identity within one MA: its name, notes and tags. The same rules check the console's form,
 * the REST body and an enrollment label, so a name or tag accepted in one place is accepted everywhere,
 * and every tag can be found again with the filter language (`tag == lobby`, `tag.floor == 3`).
 */
import { err, ok, type Result } from './result';

export const MAX_NAME_LENGTH = 80;
export const MAX_NOTES_LENGTH = 2000;
export const MAX_TAGS = 32;
export const MAX_TAG_VALUE_LENGTH = 80;

export type DeviceTag = { key: string; value: string | null };
export type IdentityError = { code: 'invalid_request'; field: 'name' | 'notes' | 'tags'; message: string };

/**
 * A tag key is one bare word of the filter language (letters, digits, _ - : / + @), so `tag.<key>` needs
 * no quotes; keys compare case-insensitively there, so they are stored as typed but kept unique ignoring case.
 */
const TAG_KEY = /^[A-Za-z0-9_\-:/+@]{1,40}$/;
/** Control and bidirectional-override characters: they make a name display as something it is not. */
const UNSAFE = /[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

const invalid = (field: IdentityError['field'], message: string) => err<IdentityError>({ code: 'invalid_request', field, message });

/** A name: trimmed, inner runs of spaces kept as typed; empty is allowed (the console then shows the model). */
export function checkName(raw: string): Result<string, IdentityError> {
	const name = raw.trim();
	if (name.length > MAX_NAME_LENGTH) return invalid('name', `a name is at most ${MAX_NAME_LENGTH} characters`);
	if (UNSAFE.test(name)) return invalid('name', 'a name cannot contain control or text-direction characters');
	return ok(name);
}

/** The name a device takes from its enrollment label: the label made a valid name (never refused). */
export function nameFromLabel(label: string): string {
	return label.replace(new RegExp(UNSAFE.source, 'g'), ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export function checkNotes(raw: string): Result<string, IdentityError> {
	const notes = raw.trim();
	if (notes.length > MAX_NOTES_LENGTH) return invalid('notes', `notes are at most ${MAX_NOTES_LENGTH} characters`);
	// Line breaks and tabs are part of notes; other control characters are not.
	if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/.test(notes)) {
		return invalid('notes', 'notes cannot contain control or text-direction characters');
	}
	return ok(notes);
}

/** One tag as typed: `key` or `key=value` (the value may contain anything but control characters). */
export function parseTag(raw: string): Result<DeviceTag, IdentityError> {
	const text = raw.trim();
	const eq = text.indexOf('=');
	const key = (eq < 0 ? text : text.slice(0, eq)).trim();
	const value = eq < 0 ? null : text.slice(eq + 1).trim();
	if (!TAG_KEY.test(key)) {
		return invalid('tags', `"${text.slice(0, 50)}": a tag is key or key=value, the key 1–40 letters, digits or _ - : / + @`);
	}
	if (value !== null && value.length > MAX_TAG_VALUE_LENGTH) return invalid('tags', `the value of tag ${key} is longer than ${MAX_TAG_VALUE_LENGTH} characters`);
	if (value !== null && UNSAFE.test(value)) return invalid('tags', `the value of tag ${key} contains control or text-direction characters`);
	return ok({ key, value });
}

/** A whole set of tags: each valid, at most MAX_TAGS, each key once (ignoring case). */
export function parseTags(raws: readonly string[]): Result<DeviceTag[], IdentityError> {
	const tags: DeviceTag[] = [];
	for (const raw of raws) {
		if (raw.trim() === '') continue;
		const t = parseTag(raw);
		if (!t.ok) return t;
		if (tags.some((x) => x.key.toLowerCase() === t.value.key.toLowerCase())) return invalid('tags', `tag ${t.value.key} is given twice`);
		tags.push(t.value);
	}
	if (tags.length > MAX_TAGS) return invalid('tags', `a device has at most ${MAX_TAGS} tags`);
	return ok(tags);
}

/** Tags as people type them, separated by commas or line breaks (the console's one text field). */
export const splitTagText = (text: string): string[] => text.split(/[,\n]/);

export const formatTag = (t: DeviceTag): string => (t.value === null ? t.key : `${t.key}=${t.value}`);
