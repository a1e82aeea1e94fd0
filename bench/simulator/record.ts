/**
 * What one simulator process observed, per correlator and per connection, in the form the runner
 * aggregates. Times are wall-clock milliseconds with sub-millisecond precision (performance.timeOrigin +
 * performance.now()), so the runner can subtract its own "operation created" times from them.
 */
import { takeWire, type WireReport } from './wire-tap';

export const wallNow = (): number => performance.timeOrigin + performance.now();

/** Per correlator: how often it arrived (fresh = not seen before), ran, and when the server acked its result. */
export type OpRecord = {
	deviceId: string;
	/** Command sets that carried this correlator (re-sends included). */
	received: number;
	/** Times it arrived as new work (must be exactly 1). */
	fresh: number;
	/** Times the device ran it to a result (must be exactly 1). */
	executed: number;
	resultCode: number | null;
	/** Times the device checked the MA's signature and Merkle proof over it and found them good. */
	verified: number;
	/** Acks of its result by the server (re-sends of a result are answered duplicate and count too). */
	resultAcks: number;
	/** When the first ack of the result arrived: the result is persisted on the server by then. */
	ackedAt: number | null;
	firstReceivedAt: number | null;
};

export class Recorder {
	readonly ops = new Map<string, OpRecord>();
	/** Connection latencies (start → authenticated) of the current connect round, in ms. */
	connectMs: number[] = [];
	errors: string[] = [];

	op(correlator: string, deviceId: string): OpRecord {
		let r = this.ops.get(correlator);
		if (!r) {
			r = { deviceId, received: 0, fresh: 0, executed: 0, resultCode: null, verified: 0, resultAcks: 0, ackedAt: null, firstReceivedAt: null };
			this.ops.set(correlator, r);
		}
		return r;
	}

	error(message: string): void {
		// Bounded: a storm of the same failure must not eat the simulator's memory.
		if (this.errors.length < 200) this.errors.push(message);
	}

	/** Hands the observations to the runner and forgets them (each scenario starts clean). */
	take(): { ops: [string, OpRecord][]; errors: string[]; wire: WireReport } {
		const out = { ops: [...this.ops.entries()], errors: this.errors, wire: takeWire() };
		this.ops.clear();
		this.errors = [];
		return out;
	}
}
