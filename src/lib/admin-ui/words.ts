/**
 * Validation issues from the contract, in words for the person who filled the form: the field named as
 * the form names it, what is wrong without parser jargon, and how to fix it. `fieldOf` says which form
 * field an issue belongs to, so the page can show the message at that field.
 */
import type { ValidationIssue } from '../contract/common';

/** The form fields errors are shown at (a form shows a field's error next to it). */
export type FormField = 'manifest' | 'bundle' | 'steps' | 'component' | 'version' | 'devices' | 'consentMode' | 'intent' | 'form';

const FIELD: [RegExp, (m: RegExpMatchArray) => string, FormField][] = [
	[/^operations\.(\d+)\.componentId$/, (m) => `Step ${Number(m[1]) + 1}: the component`, 'component'],
	[/^operations\.(\d+)\.version$/, (m) => `Step ${Number(m[1]) + 1}: the version`, 'version'],
	[/^operations\.(\d+)\.(\w+)$/, (m) => `Step ${Number(m[1]) + 1}: the ${m[2] === 'kind' ? 'operation' : m[2]}`, 'steps'],
	[/^operations$/, () => 'The steps', 'steps'],
	[/^deviceIds(\.\d+)?$/, () => 'The devices', 'devices'],
	[/^consentMode$/, () => 'User interaction', 'consentMode'],
	[/^intent$/, () => 'The message to the user', 'intent'],
	[/^manifest\.(.+)$/, (m) => `The manifest’s “${m[1]}”`, 'manifest'],
	[/^manifest$/, () => 'The manifest', 'manifest']
];

/** An example value per manifest field, so a message about a missing field says what to write. */
const MANIFEST_EXAMPLE: Record<string, string> = {
	id: '"id": "com.example.clock"',
	name: '"name": "Lobby clock"',
	version: '"version": "1.0.0"',
	compatibleBaselines: '"compatibleBaselines": ["*"]',
	entry: '"entry": "main.js"',
	permissions: '"permissions": ["network"]'
};

/** The parser's wording ("Invalid key: Expected "version" but received undefined") in plain words. */
function plain(issue: ValidationIssue): string {
	const msg = issue.message;
	const leaf = issue.path.split('.').at(-1) ?? '';
	if (/but received undefined$/.test(msg) || msg === 'required') {
		const example = issue.path.startsWith('manifest.') ? MANIFEST_EXAMPLE[leaf] : undefined;
		return example ? `is missing; add it, for example ${example}` : 'is missing; fill it in';
	}
	const unknownKey = msg.match(/^Invalid key: Expected never but received "(.+)"$/);
	if (unknownKey) return `has a field this product does not know (“${unknownKey[1]}”); remove it or check its spelling`;
	const type = msg.match(/^Invalid type: Expected (\w+) but received (.+)$/);
	if (type) return `must be ${type[1] === 'Array' ? 'a list' : type[1] === 'Object' ? 'an object' : `a ${type[1]}`}`;
	// "version must look like 1.2.3" at the field "version": the sentence already names the field.
	return msg.startsWith(`${leaf} `) ? msg.slice(leaf.length + 1) : msg;
}

export function fieldOf(issue: ValidationIssue): FormField {
	for (const [re, , field] of FIELD) if (re.test(issue.path)) return field;
	return 'form';
}

function sentence(issue: ValidationIssue): string {
	for (const [re, name] of FIELD) {
		const m = issue.path.match(re);
		if (m) return `${name(m)} ${plain(issue)}.`;
	}
	return issue.path === '(root)' ? `${plain(issue)}.` : `${issue.path} ${plain(issue)}.`;
}

export function issuesInWords(issues: readonly ValidationIssue[]): string {
	return issues.map(sentence).join(' ').replace(/\.\./g, '.');
}

/** A failed form as the page shows it: the message, and the field it belongs to (the first issue's). */
export type FormError = { error: string; field: FormField };

export function formError(issues: readonly ValidationIssue[] | undefined, fallback: string, field: FormField = 'form'): FormError {
	if (!issues || issues.length === 0) return { error: fallback, field };
	return { error: issuesInWords(issues), field: fieldOf(issues[0]!) };
}
