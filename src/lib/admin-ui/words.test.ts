import { describe, expect, it } from 'vitest';
import { issuesInWords } from './words';

describe('issuesInWords', () => {
	it('names form fields as people see them', () => {
		expect(
			issuesInWords([
				{ path: 'operations.1.componentId', message: 'component id must be reverse-DNS' },
				{ path: 'manifest.version', message: 'version must look like 1.2.3' },
				{ path: '(root)', message: 'bad' }
			])
		).toBe('Step 2, component: component id must be reverse-DNS; Manifest field “version”: version must look like 1.2.3; bad');
	});
});
