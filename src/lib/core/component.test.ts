import { describe, it, expect } from 'vitest';
import { isDeployed, isDelivered, isLive, type ComponentState } from './component';

const delivered: ComponentState = { stage: 'delivered', componentId: 'c', version: '1' };
const deployed = (operational: 'Running' | 'Initializing' | 'Stopped' | 'Failed' | 'ShuttingDown'): ComponentState => ({
	stage: 'deployed',
	componentId: 'c',
	version: '1',
	state: 'Active',
	operational
});

describe('component', () => {
	it('tells delivered from deployed from absent', () => {
		expect(isDelivered(delivered)).toBe(true);
		expect(isDeployed(delivered)).toBe(false);
		expect(isDeployed(deployed('Stopped'))).toBe(true);
		expect(isDelivered(null)).toBe(false);
		expect(isDeployed(null)).toBe(false);
	});

	it('counts Running and Initializing as live, nothing else', () => {
		expect(isLive(deployed('Running'))).toBe(true);
		expect(isLive(deployed('Initializing'))).toBe(true);
		expect(isLive(deployed('Stopped'))).toBe(false);
		expect(isLive(deployed('Failed'))).toBe(false);
		expect(isLive(deployed('ShuttingDown'))).toBe(false);
		expect(isLive(delivered)).toBe(false);
		expect(isLive(null)).toBe(false);
	});
});
