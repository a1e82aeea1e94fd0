import { describe, expect, it } from 'vitest';
import { fieldOf, formError, issuesInWords } from './words';

describe('issuesInWords', () => {
	it('names form fields as people see them', () => {
		expect(
			issuesInWords([
				{ path: 'operations.1.componentId', message: 'component id must be reverse-DNS' },
				{ path: 'manifest.version', message: 'version must look like 1.2.3' },
				{ path: '(root)', message: 'bad' }
			])
		).toBe('Step 2: the component component id must be reverse-DNS. The manifest’s “version” must look like 1.2.3. bad.');
	});
	it('says what to add for a missing manifest field, without parser jargon', () => {
		const words = issuesInWords([{ path: 'manifest.version', message: 'Invalid key: Expected "version" but received undefined' }]);
		expect(words).toBe('The manifest’s “version” is missing; add it, for example "version": "1.0.0".');
		expect(words).not.toMatch(/Invalid key|undefined/);
	});
	it('a step without its component names the step, not the field name', () => {
		expect(issuesInWords([{ path: 'operations.0.componentId', message: 'required' }])).toBe('Step 1: the component is missing; fill it in.');
	});
	it('locates each issue at its form field', () => {
		expect(fieldOf({ path: 'operations.0.version', message: 'x' })).toBe('version');
		expect(fieldOf({ path: 'intent', message: 'x' })).toBe('intent');
		expect(fieldOf({ path: 'manifest.entry', message: 'x' })).toBe('manifest');
		expect(formError(undefined, 'Refused.', 'devices')).toEqual({ error: 'Refused.', field: 'devices' });
	});
});
