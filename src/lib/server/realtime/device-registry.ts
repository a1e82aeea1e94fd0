/**
 * Which devices have a socket connected to this node (socket ids per device). In memory: with several
 * nodes each knows its own sockets, and rooms `device:<id>` (through the adapter) reach the others.
 */
export class DeviceRegistry {
	private readonly sockets = new Map<string, Set<string>>();

	add(deviceId: string, socketId: string): void {
		let s = this.sockets.get(deviceId);
		if (!s) this.sockets.set(deviceId, (s = new Set()));
		s.add(socketId);
	}

	/** Returns true when this was the device's last socket (it is now offline). */
	remove(deviceId: string, socketId: string): boolean {
		const s = this.sockets.get(deviceId);
		if (!s) return false;
		s.delete(socketId);
		if (s.size > 0) return false;
		this.sockets.delete(deviceId);
		return true;
	}

	isOnline(deviceId: string): boolean {
		return (this.sockets.get(deviceId)?.size ?? 0) > 0;
	}

	onlineDeviceIds(): string[] {
		return [...this.sockets.keys()];
	}

	socketsOf(deviceId: string): string[] {
		return [...(this.sockets.get(deviceId) ?? [])];
	}

	get onlineCount(): number {
		return this.sockets.size;
	}
}

export const deviceRoom = (deviceId: string) => `device:${deviceId}`;
