// The SCOMO domain core: pure types and rules shared by the server, the device PWA and the headless agent.
export * from './result';
export * from './operations';
export * from './result-codes';
export * from './states';
export * from './component';
export * from './transition';
export * from './policy';
export * from './semver';
export * from './user-words';
export * as rollout from './rollout';
