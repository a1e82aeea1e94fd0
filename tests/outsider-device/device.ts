/**
 * A minimal SCOMO Relay device written from docs/protocol.md and docs/device-guide.md only (node builtins
 * and socket.io-client, nothing from the product): enrolls with a one-time code, authenticates, verifies
 * every command set (trust statement, MA signature, Merkle proof, fields), downloads and opens sealed
 * packages, "installs" and "starts" components (kept in memory) and reports signed results.
 */
import { EventEmitter } from 'node:events';
import { generateKeyPairSync, sign, webcrypto, type KeyObject } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
	authMessage,
	canonical,
	commandMessage,
	ed25519Verify,
	enrollMessage,
	leafJson,
	merkleVerify,
	openSealed,
	packageMessage,
	resultMessage,
	sha256,
	trustMessage
} from './protocol';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Entry = { stage: 'deployed'; componentId: string; version: string; state: 'Active' | 'Inactive'; operational: string };

export type OutsiderEvent =
	| { type: 'refused'; code: number; reason: string }
	| { type: 'result'; correlator: string; resultCode: number; ack: Json }
	| { type: 'installed'; componentId: string; bundle: string };

export class OutsiderDevice extends EventEmitter {
	private readonly signingKey: KeyObject;
	readonly publicKey: string;
	private encryption!: webcrypto.CryptoKeyPair;
	deviceId = '';
	/** Pinned at enrollment: the MA's trust statement (its keys). */
	trust: Json | null = null;
	readonly inventory = new Map<string, Entry>();
	private socket: Socket | null = null;

	constructor(private readonly server: string) {
		super();
		const { privateKey, publicKey } = generateKeyPairSync('ed25519');
		this.signingKey = privateKey;
		this.publicKey = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
	}

	private sign = (text: string) => sign(null, Buffer.from(text, 'utf8'), this.signingKey).toString('base64url');

	/** POST /api/device/enroll; pins the returned trust statement after checking it is signed by its own key. */
	async enroll(code: string): Promise<Json> {
		this.encryption = (await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])) as webcrypto.CryptoKeyPair;
		const encryptionKey = Buffer.from(await webcrypto.subtle.exportKey('raw', this.encryption.publicKey)).toString('base64url');
		const res = await fetch(`${this.server}/api/device/enroll`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				code,
				publicKey: this.publicKey,
				keyAlgorithm: 'Ed25519',
				proof: this.sign(enrollMessage(code, this.publicKey)),
				encryptionKey,
				info: { manufacturer: 'Outsider Ltd', model: 'From the docs', baselineBuildId: 'outsider-1', softwareVersion: '0.1', kind: 'agent' }
			})
		});
		const body = (await res.json()) as Json;
		if (res.status !== 201) throw new Error(`enroll: ${res.status} ${JSON.stringify(body)}`);
		const statement = body.trust.statement;
		const selfSigned = body.trust.signatures.some((s: Json) => {
			const key = statement.keys.find((k: Json) => k.keyId === s.keyId);
			return key && ed25519Verify(key.publicKey, trustMessage(statement), s.signature);
		});
		if (!selfSigned) throw new Error('the trust statement is not signed by its own keys');
		this.deviceId = body.deviceId;
		this.trust = statement;
		return body;
	}

	/** Connects to /device and answers the challenge; resolves with the auth:prove ack. */
	connect(): Promise<Json> {
		const origin = new URL(this.server).origin;
		const socket = io(`${this.server}/device`, { path: '/socket.io', transports: ['websocket'], reconnection: false });
		this.socket = socket;
		socket.on('commands', (set: Json, ack: (a: Json) => void) => void this.onCommands(set, ack));
		return new Promise((resolve, reject) => {
			socket.on('connect_error', reject);
			socket.on('auth:challenge', (challenge: { nonce: string }) => {
				socket.emit('auth:prove', { deviceId: this.deviceId, signature: this.sign(authMessage(challenge.nonce, this.deviceId, origin)) }, (ack: Json) =>
					ack.ok ? resolve(ack) : reject(new Error(`auth: ${ack.code}`))
				);
			});
		});
	}

	close(): void {
		this.socket?.close();
	}

	private emitAck = <T = Json>(event: string, payload: unknown): Promise<T> =>
		new Promise((resolve) => this.socket!.emit(event, payload, (ack: T) => resolve(ack)));

	/** docs/protocol.md "Verifying a command set", in its order; null when every check passes. */
	verify(set: Json, now = Date.now()): { code: number; reason: string } | null {
		const keys = (this.trust?.keys ?? []).filter((k: Json) => k.validUntil === null || now <= k.validUntil);
		// A newer statement is accepted when a key we pinned signed it (key rotation).
		if (set.trust && set.trust.statement.seq > this.trust!.seq) {
			const newer = set.trust.signatures.some((s: Json) => {
				const key = keys.find((k: Json) => k.keyId === s.keyId);
				return key && ed25519Verify(key.publicKey, trustMessage(set.trust.statement), s.signature);
			});
			if (newer) this.trust = set.trust.statement;
		}
		const env = set.envelope;
		if (!env) return { code: 1453, reason: 'not signed' };
		const h = env.header;
		const key = (this.trust!.keys as Json[]).find((k) => k.keyId === env.keyId && (k.validUntil === null || now <= k.validUntil));
		if (h.maId !== set.maId || !key) return { code: 1453, reason: 'unknown key or MA' };
		if (!ed25519Verify(key.publicKey, commandMessage(h), env.signature)) return { code: 1453, reason: 'bad signature' };
		const leaf = Buffer.from(leafJson(env.leaf.deviceId, env.leaf.correlators), 'utf8');
		if (!merkleVerify(leaf, env.index, h.leafCount, env.proof, h.root)) return { code: 1453, reason: 'not in the signed batch' };
		if (env.leaf.deviceId !== this.deviceId) return { code: 1456, reason: 'for another device' };
		const same =
			set.batchId === h.batchId &&
			set.consentMode === h.consentMode &&
			set.intent === h.intent &&
			set.maName === h.maName &&
			set.expiresAt === h.expiresAt &&
			set.operations.length === h.operations.length &&
			set.operations.every((op: Json, i: number) => {
				const s = h.operations[i];
				if (op.correlator !== env.leaf.correlators[i] || op.kind !== s.kind || op.componentId !== s.componentId || op.version !== s.version) return false;
				if (op.package === null || s.package === null) return op.package === s.package;
				const manifestSha = sha256(Buffer.from(canonical(op.package.manifest), 'utf8')).toString('hex');
				return (
					op.package.versionId === s.package.versionId &&
					op.package.sha256 === s.package.sha256 &&
					op.package.size === s.package.size &&
					op.package.componentId === s.componentId &&
					manifestSha === s.package.manifestSha256
				);
			});
		if (!same) return { code: 1453, reason: 'differs from what was signed' };
		if (h.expiresAt < now) return { code: 1454, reason: 'expired' };
		return null;
	}

	private async onCommands(set: Json, ack: (a: Json) => void): Promise<void> {
		const refusal = this.verify(set);
		// Received and stored: acked whether it runs or is refused; a refusal is reported as each operation's result.
		ack({ ok: true, accepted: set.operations.map((o: Json) => o.correlator) });
		for (const op of set.operations) {
			if (refusal) {
				this.emit('event', { type: 'refused', ...refusal } satisfies OutsiderEvent);
				await this.report(op, refusal.code, refusal.reason);
				continue;
			}
			const [code, message] = await this.run(set, op);
			await this.report(op, code, message);
		}
	}

	private async run(set: Json, op: Json): Promise<[number, string]> {
		const current = this.inventory.get(op.componentId ?? '');
		switch (op.kind) {
			case 'DownloadInstall': {
				if (current) return [1459, 'already installed'];
				const token = await this.emitAck<Json>('package:token', { correlator: op.correlator });
				if (!token.ok) return [1402, token.message];
				const res = await fetch(token.url);
				if (res.status !== 200) return [1402, `download ${res.status}`];
				const bytes = new Uint8Array(await res.arrayBuffer());
				let bundle: Buffer;
				try {
					bundle = (await openSealed(this.encryption.privateKey, bytes)).bundle;
				} catch {
					return [1407, 'could not open the sealed package'];
				}
				const p = op.package;
				if (sha256(bundle).toString('hex') !== p.sha256 || bundle.length !== p.size) return [1407, 'digest mismatch'];
				const signedBy = (this.trust!.keys as Json[]).some((k) =>
					ed25519Verify(k.publicKey, Buffer.from(packageMessage({ maId: set.maId, ...p }), 'utf8'), p.signature ?? '')
				);
				if (!signedBy) return [1407, 'package signature does not verify'];
				this.inventory.set(p.componentId, { stage: 'deployed', componentId: p.componentId, version: p.version, state: 'Active', operational: 'Stopped' });
				this.emit('event', { type: 'installed', componentId: p.componentId, bundle: bundle.toString('utf8') } satisfies OutsiderEvent);
				return [1200, ''];
			}
			case 'Start':
				if (!current) return [1458, 'not installed'];
				if (current.state !== 'Active' || current.operational === 'Running') return [1450, 'cannot start'];
				current.operational = 'Running';
				return [1200, ''];
			default:
				return [1411, `${op.kind} is not implemented by this device`];
		}
	}

	private async report(op: Json, resultCode: number, message: string): Promise<void> {
		const componentId = op.componentId ?? op.package?.componentId ?? null;
		const result: Json = {
			correlator: op.correlator,
			resultCode,
			message: message.slice(0, 500),
			componentId,
			entry: componentId ? (this.inventory.get(componentId) ?? null) : null,
			completedAt: Date.now()
		};
		result.signature = this.sign(resultMessage(this.deviceId, result));
		const ack = await this.emitAck<Json>('result', result);
		this.emit('event', { type: 'result', correlator: op.correlator, resultCode, ack } satisfies OutsiderEvent);
	}
}

