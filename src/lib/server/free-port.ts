/** A TCP port that is free right now on this host: the OS picks it, the probe closes at once. */
import net, { type AddressInfo } from 'node:net';

export async function freePort(host = 'localhost'): Promise<number> {
	const probe = net.createServer();
	await new Promise<void>((resolve, reject) => {
		probe.once('error', reject);
		probe.listen(0, host, () => resolve());
	});
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}
