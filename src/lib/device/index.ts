// The device runtime shared by the headless agent and the device PWA. No node:* imports, no server code.
export * from './ports';
export * from './component-key';
export * from './events';
export * from './link';
export * from './crypto';
export * from './consent';
export * from './ledger';
export * from './executor';
export * from './connection';
export * from './enroll';
export * from './runtime';
export * from './package-check';
export * from './package-check-open';
