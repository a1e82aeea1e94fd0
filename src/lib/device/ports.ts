/**
 * The ports of the device runtime: everything it needs from the platform. The Node agent (agent/) and the
 * device PWA provide adapters (files + worker_threads, IndexedDB + Web Workers); the runtime itself only
 * uses core, contract, socket.io-client and web-standard APIs, so it runs unchanged in both.
 */
import type { ComponentState, OperationKind } from '../core';
import type { TrustStatement } from '../core/envelope';
import type { CommandSetMsg, DeviceInfoMsg, Manifest, OperationResultMsg } from '../contract';

/** The device's key (Ed25519): registered at enrollment, proves the device on every connection. */
export interface Signer {
	/** Raw 32-byte public key, base64url. */
	readonly publicKey: string;
	/** Ed25519 signature over the UTF-8 message, base64url. */
	sign(message: string): Promise<string>;
}

/**
 * The device's encryption key (ECDH P-256, SCOMO-SEC-03): packages arrive sealed to it
 * (contract/sealed-package.ts). The agent keeps it in a 0600 file, the PWA as a non-extractable CryptoKey.
 */
export interface Decrypter {
	/** Raw uncompressed P-256 public key, base64url (EnrollRequest.encryptionKey). */
	readonly publicKey: string;
	/** Opens a sealed package; a wrong key or altered bytes is a value, never a throw. */
	open(sealed: Uint8Array): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }>;
}

export type MaRef = {
	maId: string;
	name: string;
	/**
	 * SCOMO-SEC-01: the MA's trust statement the device pinned at enrollment and took newer ones of since (only
	 * when a key it already trusted signed them): command-signing keys, approving passkeys, high-risk policy.
	 */
	trust?: TrustStatement;
	/**
	 * The server's time of this enrollment (EnrollResponse.enrolledAt): a decommission counts only for the
	 * enrollment it names (core/decommission.ts). Absent for MAs enrolled before it was pinned: then any
	 * decommission the MA key signed for this device counts.
	 */
	enrolledAt?: number;
};

/** Who the device is and where its server is; written at enrollment, extended when another MA enrolls it. */
export type Identity = {
	deviceId: string;
	serverUrl: string;
	/** Factory build ID, fixed at the first enrollment (SCOMO-HLFR-9). */
	baselineBuildId: string;
	info: DeviceInfoMsg;
	mas: MaRef[];
	/**
	 * SCOMO-SEC-03: the encryption key registered with the server. Once set, the device refuses packages that
	 * are not sealed to it (no downgrade to plaintext).
	 */
	encryptionKey?: string;
};

/** One component on the device with its owner (SCOMO-ADC-3) and what the runtime needs to run it again. */
export type InventoryItem = {
	maId: string;
	component: ComponentState;
	manifest: Manifest;
	sha256: string;
};

/**
 * A received command set. Written before the set is acked, removed when every operation has a result:
 * whatever is left here after a restart is run again from the start (see executor.ts).
 */
export type JournalEntry = {
	set: CommandSetMsg;
	receivedAt: number;
	/** Remembered so that a restart does not ask the user twice (SCOMO-ADC-2: one confirmation per set). */
	consent: 'pending' | 'accepted' | 'refused';
};

/** The result of one operation, kept to answer duplicates and re-sent until the server acks it. */
export type StoredResult = { maId: string; result: OperationResultMsg; acked: boolean };

/**
 * Everything that must change together: the inventory, the journal and the results. One document, written
 * atomically, so that "inventory entry + result" is one durable commit and a crash never leaves one without
 * the other.
 */
export type Ledger = {
	inventory: InventoryItem[];
	journal: JournalEntry[];
	/** By correlator: the outbox (acked = false) and the dedupe memory (acked = true). */
	results: Record<string, StoredResult>;
	/**
	 * By correlator: refusals of command sets nothing proved the MA sent (1453, 1456), waiting to be reported.
	 * Kept apart from `results` so a forged set can never answer for the genuine one with the same correlator
	 * (dedupe reads only `results`); dropped once the server has taken them.
	 */
	refusals?: Record<string, StoredResult>;
	/** SCOMO-SEC-01: nonces and correlators of verified envelopes until they expire (verify.ts). */
	replay?: ReplayWindow;
	/** The last report sequence given (results, state changes); the inventory report carries the current one. */
	seq?: number;
	/**
	 * MAs whose Inventory query the user refused (SCOMO-USA-1, ADC-1): their components are left out of
	 * unsolicited reports (the connect-time inventory, state changes) until an Inventory of theirs runs.
	 */
	withheld?: string[];
};

/**
 * The replay window: each verified envelope's nonce with the digest of its header and its expiry, and the
 * nonce each correlator arrived under. The same envelope again is a re-delivery (answered from the stored
 * results); another envelope reusing a nonce or a correlator is a replay (1455). Entries go once expired,
 * because an expired command is refused anyway (1454).
 */
export type ReplayWindow = {
	nonces: Record<string, { digest: string; expiresAt: number }>;
	correlators: Record<string, string>;
};

export const emptyLedger = (): Ledger => ({ inventory: [], journal: [], results: {} });

/** The end user's standing choice for one MA: ask as the command says, pre-approve, or refuse everything. */
export type UserChoice = 'ask' | 'allow' | 'block';

/** Durable state. Every write must be atomic and durable before it resolves. */
export interface StateStore {
	readIdentity(): Promise<Identity | null>;
	writeIdentity(identity: Identity): Promise<void>;
	readLedger(): Promise<Ledger>;
	writeLedger(ledger: Ledger): Promise<void>;
	readChoices(): Promise<Record<string, UserChoice>>;
	writeChoices(choices: Record<string, UserChoice>): Promise<void>;
}

/**
 * Component bundles by component key and version (Inventory/Delivered and Deployed content). The key is
 * componentKey(maId, componentId): two MAs' components of the same ID are stored apart. Bundles stored before
 * that are under the bare component ID; the runtime moves them at start (runtime.ts restore).
 */
export interface PackageStore {
	put(key: string, version: string, bytes: Uint8Array): Promise<void>;
	get(key: string, version: string): Promise<Uint8Array | null>;
	/** Deletes one version, or every version of the component when `version` is omitted. */
	delete(key: string, version?: string): Promise<void>;
}

export type StepOutcome = { ok: true } | { ok: false; message: string };

/** A change of operational state that the runtime did not ask for: the component crashed or exited. */
export type RunnerStateChange = { key: string; operational: 'Failed' | 'Stopped'; message: string };

/**
 * Runs components (a worker thread in the agent, a Web Worker in the PWA). start() resolves once the bundle
 * evaluated (Initializing → Running) or failed; stop() once it is gone. onStateChange reports only changes
 * that start() and stop() did not cause (LwM2M Object 9: Failed on a crash, Stopped on a clean exit).
 */
export interface ComponentRunner {
	/**
	 * `key` is componentKey(maId, componentId), so two MAs' same-named components run side by side; the
	 * component itself sees its own ID (manifest.id).
	 */
	start(key: string, code: string, manifest: Manifest): Promise<StepOutcome>;
	stop(key: string): Promise<StepOutcome>;
	isRunning(key: string): boolean;
	onStateChange(listener: (change: RunnerStateChange) => void): void;
}

export type ConsentOperation = {
	correlator: string;
	kind: OperationKind;
	label: string;
	/** SCOMO-USA-4: what the operation does, in one sentence. */
	implication: string;
	component: { id: string; name: string; version: string | null } | null;
	/** SCOMO-USA-4: which data and capabilities the component may reach. */
	permissions: { permission: string; sentence: string }[];
};

/** One prompt for a whole command set (SCOMO-ADC-2), with its implications (SCOMO-USA-4). */
export type ConsentRequest = {
	maId: string;
	maName: string;
	intent: string;
	operations: ConsentOperation[];
};

export type Notice =
	| { kind: 'before'; maId: string; maName: string; intent: string; operations: ConsentOperation[] }
	| {
			kind: 'after';
			maId: string;
			maName: string;
			results: { correlator: string; kind: OperationKind; componentId: string | null; resultCode: number; message: string }[];
	  }
	| { kind: 'blocked'; maId: string; maName: string; correlators: string[] }
	/** The MA withdrew operations it had sent (cancelled before they started): an open prompt for them is gone. */
	| { kind: 'withdrawn'; maId: string; maName: string; correlators: string[] }
	/** The MA decommissioned this device: its components (names) were removed and it no longer manages the device. */
	| { kind: 'decommissioned'; maId: string; maName: string; components: string[] }
	| { kind: 'request-decided'; requestId: string; status: 'approved' | 'refused'; message: string };

/** The end user (SCOMO-USA-1..4): a prompt on the device screen, a terminal, or a policy file. */
export interface ConsentPort {
	/** `signal` aborts when the MA withdraws the set while the user is being asked: take the prompt away. */
	ask(request: ConsentRequest, signal?: AbortSignal): Promise<'accept' | 'refuse'>;
	notify(notice: Notice): void;
}

export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
