/**
 * What the devices of one simulator process actually put on and took off the wire, counted on the WebSocket
 * frames themselves (the `ws` package socket.io-client uses in Node): command sets received (count and
 * bytes) and every event sent (progress, result, ...) with its size. The raw baseline takes its payload size
 * and message count per operation from these counts, so it does the same amount of messaging as the product
 * in the same run, whichever device kind (runtime or lean) ran.
 */
import { WebSocket } from 'ws';

export type WireCount = { n: number; bytes: number };
export type WireReport = { received: Record<string, WireCount>; sent: Record<string, WireCount> };

let received: Record<string, WireCount> = {};
let sent: Record<string, WireCount> = {};

/** The socket.io event name of a text frame ("42<ack id>[\"name\",...": an EVENT packet), or null. */
function eventName(frame: string): string | null {
	if (!frame.startsWith('42')) return frame.startsWith('43') ? 'ack' : null;
	const open = frame.indexOf('["');
	if (open < 0) return null;
	const close = frame.indexOf('"', open + 2);
	return close < 0 ? null : frame.slice(open + 2, close);
}

function count(into: Record<string, WireCount>, data: unknown): void {
	const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('latin1', 0, 64) : null;
	if (text === null) return;
	const name = eventName(text.slice(0, 64));
	if (!name) return;
	const size = typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
	const c = (into[name] ??= { n: 0, bytes: 0 });
	c.n++;
	c.bytes += size;
}

let installed = false;

/** Patches the ws prototype once per process; every socket.io connection of this process is counted. */
export function installWireTap(): void {
	if (installed) return;
	installed = true;
	const proto = WebSocket.prototype as unknown as { send: (...a: unknown[]) => void; emit: (event: string, ...a: unknown[]) => boolean };
	const send = proto.send;
	proto.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
		count(sent, data);
		return send.call(this, data, ...rest);
	};
	const emit = proto.emit;
	proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
		if (event === 'message') count(received, args[0]);
		return emit.call(this, event, ...args);
	};
}

/** The counts since the last take, and a fresh start. */
export function takeWire(): WireReport {
	const out = { received, sent };
	received = {};
	sent = {};
	return out;
}
