/**
 * What the executor needs from the server connection. connection.ts implements it over socket.io; unit tests
 * implement it in memory. Sending may fail while offline: results stay in the outbox and are sent again on
 * the next connection.
 */
import type { ComponentStateChangeMsg, OperationResultMsg, ProgressMsg } from '../contract';

/** 'acked': the server stored it; 'rejected': the server refused it for good; 'unsent': try again later. */
export type SendOutcome = 'acked' | 'rejected' | 'unsent';

/**
 * A failed download. `permanent`: the server answered that this package cannot be had (the operation is
 * gone or finished, the bundle was refused with a fresh token): 1402 at once. Otherwise (offline, the
 * server restarting, a 5xx, a cut connection) the executor tries again with a new token until the
 * operation's deadline.
 */
export class DownloadError extends Error {
	constructor(
		message: string,
		readonly permanent: boolean
	) {
		super(message);
		this.name = 'DownloadError';
	}
}

export interface DeviceLink {
	/**
	 * Asks for a download token and fetches the bundle bytes; throws when the download fails (DownloadError).
	 * `onBytes` hears each chunk's running total and the body's announced length (for progress reports).
	 */
	fetchBundle(correlator: string, onBytes?: (bytesDone: number, bytesTotal: number) => void): Promise<Uint8Array>;
	/** Best effort: progress is informative, a lost one is replaced by the result. */
	sendProgress(progress: ProgressMsg): Promise<void>;
	sendResult(result: OperationResultMsg): Promise<SendOutcome>;
	sendComponentState(change: ComponentStateChangeMsg): Promise<SendOutcome>;
}

/** A link that is never connected, for start-up before the first connection. */
export const offlineLink: DeviceLink = {
	fetchBundle: () => Promise.reject(new DownloadError('not connected to the server', false)),
	sendProgress: () => Promise.resolve(),
	sendResult: () => Promise.resolve('unsent'),
	sendComponentState: () => Promise.resolve('unsent')
};
