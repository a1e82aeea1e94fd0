/** The repository layer: one module per table, drizzle queries only. */
export * as mas from './mas';
export * as devices from './devices';
export * as enrollments from './enrollments';
export * as enrollmentCodes from './enrollment-codes';
export * as deviceList from './device-list';
export * as deviceTags from './device-tags';
export * as packages from './packages';
export * as inventory from './inventory';
export * as operations from './operations';
export * as batches from './batches';
export * as deviceRequests from './device-requests';
export * as apiTokens from './api-tokens';
export * as audit from './audit';
export type { Q } from './types';
