/**
 * What every service is built from (createApp, create-app.ts). Injected, so tests can pass their own clock
 * and relay. The configuration is final when the services are built (the origin included).
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Db } from '../db/open';
import type { EventBus } from '../events';
import type { ServerSecrets } from '../secrets';
import type { Relay } from './relay';

export type ServiceDeps = {
	db: Db;
	config: () => Config;
	log: Logger;
	events: EventBus;
	secrets: ServerSecrets;
	/** Epoch milliseconds; injectable so expiry is testable without waiting. */
	clock: () => number;
	/** The realtime side: the device namespace, or OFFLINE_RELAY for tools without an HTTP server. */
	relay: () => Relay;
};

/** Who did something, for the audit log and operations.createdBy. */
export type AuditActor = { type: 'admin' | 'token' | 'device' | 'system'; id: string };
