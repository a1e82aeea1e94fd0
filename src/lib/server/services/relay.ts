/**
 * The seam between services and the realtime transport: services decide what to send, the device
 * namespace sends it. With several nodes, the socket.io adapter makes a room reach any node.
 */
import type { CommandSetMsg, DecommissionAck, DecommissionMsg, RequestDecidedMsg, WithdrawAck, WithdrawMsg } from '../../contract';

export interface Relay {
	/** Is a socket of this device connected (to this node)? */
	isOnline(deviceId: string): boolean;
	/** Every device with a socket on this node (the devices list's `online == true` filter binds them as one list). */
	onlineDeviceIds?(): string[];
	/**
	 * Sends a command set to the device and waits for its ack: the correlators it accepted, or null when
	 * no socket answered (offline, timeout, refusal). Never throws.
	 */
	sendCommands(deviceId: string, set: CommandSetMsg): Promise<string[] | null>;
	/**
	 * Sends an MA-signed withdrawal of delivered operations and waits for the device's ack; null when no
	 * socket answered (the server sends it again on the next connection). Never throws.
	 */
	sendWithdrawal(deviceId: string, msg: WithdrawMsg): Promise<WithdrawAck | null>;
	/**
	 * Sends an MA-signed decommission (services/decommission.ts) and waits for the device's ack; null when no
	 * socket answered (it is sent again on the next connection). Never throws.
	 */
	sendDecommission(deviceId: string, msg: DecommissionMsg): Promise<DecommissionAck | null>;
	/** SCOMO-Device-06: tells the device how its request was decided (best effort; it can also ask again). */
	requestDecided(deviceId: string, msg: RequestDecidedMsg): void;
	/** SCOMO-SEC-02: closes every socket of a revoked device at once (signing/revocation.ts). */
	disconnectDevice(deviceId: string): void;
}

/** Before realtime is attached (admin CLI, tests of services): every device is offline, commands stay queued. */
export const OFFLINE_RELAY: Relay = {
	isOnline: () => false,
	sendCommands: async () => null,
	sendWithdrawal: async () => null,
	sendDecommission: async () => null,
	requestDecided: () => {},
	// No socket to close; the device is refused when it next connects (revocation is in the store).
	disconnectDevice: () => {}
};
