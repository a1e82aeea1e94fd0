/**
 * What every service is built from. Injected, so tests can pass their own clock and relay; the config
 * is read through a function because the origin is only known after the server listens (port 0).
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
	/** The realtime side, bound once socket.io is attached (offline until then). */
	relay: () => Relay;
};

/** Who did something, for the audit log and operations.createdBy. */
export type AuditActor = { type: 'admin' | 'token' | 'device' | 'system'; id: string };
