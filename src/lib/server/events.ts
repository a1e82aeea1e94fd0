/**
 * The server's typed event bus: services announce what changed, listeners (the live admin UI, later
 * socket rooms per MA) react. In-process only; with several nodes the socket.io adapter carries the
 * realtime part, this bus stays local to the node that made the change.
 */
import { EventEmitter } from 'node:events';
import type { AdminProgressEvent } from '../contract/admin-protocol';
import type { DeviceRequestView, OperationView } from './services/views';

export type ServerEvents = {
	/** An operation was created or changed status (SCOMO-DMS-05: results arrive live). */
	'operation:updated': OperationView & { maId: string };
	'device:online': { deviceId: string; maIds: string[] };
	'device:offline': { deviceId: string; maIds: string[] };
	'inventory:changed': { deviceId: string };
	/** How far an operation got (phase, download bytes): relayed live, never stored. */
	'operation:progress': AdminProgressEvent & { maId: string };
	/** SCOMO-Device-06: a device asked for an install or update. */
	'device-request:created': { maId: string; request: DeviceRequestView };
	/** A rollout changed (status, phase, device tallies): the console reloads it (services/rollouts). */
	'rollout:updated': { maId: string; rolloutId: string };
};

export type ServerEventName = keyof ServerEvents;
type Listener<K extends ServerEventName> = (payload: ServerEvents[K]) => void;

export class EventBus {
	private readonly emitter = new EventEmitter();
	constructor(private readonly onListenerError: (event: string, error: unknown) => void = () => {}) {
		// Many UI sessions may listen at once; this is not a leak.
		this.emitter.setMaxListeners(0);
	}

	on<K extends ServerEventName>(event: K, listener: Listener<K>): () => void {
		this.emitter.on(event, listener as (p: unknown) => void);
		return () => this.off(event, listener);
	}

	off<K extends ServerEventName>(event: K, listener: Listener<K>): void {
		this.emitter.off(event, listener as (p: unknown) => void);
	}

	/** A failing listener must never break the service that emitted (the change is already committed). */
	emit<K extends ServerEventName>(event: K, payload: ServerEvents[K]): void {
		for (const l of this.emitter.listeners(event)) {
			try {
				(l as Listener<K>)(payload);
			} catch (e) {
				this.onListenerError(event, e);
			}
		}
	}
}
