export * from './common';
export * from './errors';
export * from './manifest';
export * from './device-protocol';
export * from './rest';
export * from './sealed-package';
export * from './command-envelope';
export * from './ma-settings-form';
