// SCOMO-SEC-03 on the server: package signatures, device encryption keys, sealing bundles for one device.
export * from './package-signing';
export * from './device-encryption-key';
export * from './seal';
