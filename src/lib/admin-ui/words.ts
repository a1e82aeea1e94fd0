/** Validation issues from the contract, in words for the person who filled the form. */
import type { ValidationIssue } from '../contract/common';

const FIELD: [RegExp, (m: RegExpMatchArray) => string][] = [
	[/^operations\.(\d+)\.(\w+)$/, (m) => `Step ${Number(m[1]) + 1}, ${m[2] === 'componentId' ? 'component' : m[2]}`],
	[/^operations$/, () => 'Steps'],
	[/^deviceIds(\.\d+)?$/, () => 'Devices'],
	[/^consentMode$/, () => 'User interaction'],
	[/^intent$/, () => 'Message to the user'],
	[/^manifest\.(.+)$/, (m) => `Manifest field “${m[1]}”`],
	[/^manifest$/, () => 'Manifest']
];

export function issuesInWords(issues: readonly ValidationIssue[]): string {
	return issues
		.map((i) => {
			for (const [re, name] of FIELD) {
				const m = i.path.match(re);
				if (m) return `${name(m)}: ${i.message}`;
			}
			return i.path === '(root)' ? i.message : `${i.path}: ${i.message}`;
		})
		.join('; ');
}
