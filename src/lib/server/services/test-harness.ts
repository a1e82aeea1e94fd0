/**
 * For unit tests of services: a real SQLite store in a temp directory (migrated), a movable clock and a
 * recording relay standing in for socket.io (the real transport is covered by tests/integration).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { openStore } from '../db/open';
import { EventBus, type ServerEventName, type ServerEvents } from '../events';
import { loadSecrets } from '../secrets';
import { enrollProofMessage, type CommandSetMsg, type RequestDecidedMsg, type WithdrawMsg } from '../../contract';
import { createServices } from './index';
import type { Relay } from './relay';

export type RecordingRelay = Relay & {
	online: Set<string>;
	sent: { deviceId: string; set: CommandSetMsg }[];
	decided: { deviceId: string; msg: RequestDecidedMsg }[];
	withdrawn: { deviceId: string; msg: WithdrawMsg }[];
	disconnected: string[];
	/** Called inside sendCommands, e.g. to check what is persisted at relay time. */
	onSend?: (deviceId: string, set: CommandSetMsg) => void;
};

export function recordingRelay(): RecordingRelay {
	const r: RecordingRelay = {
		online: new Set(),
		sent: [],
		decided: [],
		withdrawn: [],
		disconnected: [],
		isOnline: (id) => r.online.has(id),
		onlineDeviceIds: () => [...r.online],
		async sendCommands(deviceId, set) {
			if (!r.online.has(deviceId)) return null;
			r.onSend?.(deviceId, set);
			r.sent.push({ deviceId, set });
			return set.operations.map((o) => o.correlator);
		},
		async sendDecommission(deviceId) {
			if (!r.online.has(deviceId)) return null;
			return { ok: true, erased: [], held: true };
		},
		async sendWithdrawal(deviceId, msg) {
			if (!r.online.has(deviceId)) return null;
			r.withdrawn.push({ deviceId, msg });
			return { ok: true, withdrawn: msg.correlators, tooLate: [] };
		},
		requestDecided(deviceId, msg) {
			r.decided.push({ deviceId, msg });
		},
		disconnectDevice(deviceId) {
			r.disconnected.push(deviceId);
		}
	};
	return r;
}

export function serviceHarness(env: Record<string, string> = {}) {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'scomo-unit-'));
	const config = parseConfig({ SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent', ...env });
	const store = openStore(path.join(dataDir, 'scomo.db'));
	const events = new EventBus();
	const seen: { [K in ServerEventName]?: ServerEvents[K][] } = {};
	for (const name of ['operation:updated', 'operation:progress', 'device:online', 'device:offline', 'inventory:changed', 'device-request:created'] as const) {
		events.on(name, (p) => ((seen[name] ??= []) as unknown[]).push(p));
	}
	const relay = recordingRelay();
	const time = { now: 1_800_000_000_000 };
	const services = createServices({
		db: store.db,
		config: () => config,
		log: createLogger('silent'),
		events,
		secrets: loadSecrets(dataDir),
		clock: () => time.now,
		relay: () => relay
	});
	const system = { type: 'system', id: 'test' } as const;

	/** A new MA and a device enrolled with it (key pair generated here). */
	function maWithDevice(name = 'Acme', baseline = 'base-1') {
		const ma = services.mas.create(name, system);
		if (!ma.ok) throw new Error(ma.error.message);
		const device = enrollDevice(ma.value.maId, baseline);
		return { maId: ma.value.maId, ...device };
	}

	function enrollDevice(maId: string, baseline = 'base-1', keys = newKeys(), deviceId?: string) {
		const code = services.enrollment.create(maId, system, { label: '', expiresInSeconds: 3600 });
		if (!code.ok) throw new Error(code.error.message);
		const r = services.enrollment.enroll({
			code: code.value.code,
			publicKey: keys.publicKey,
			keyAlgorithm: 'Ed25519',
			proof: keys.sign(enrollProofMessage(code.value.code, keys.publicKey)),
			...(deviceId ? { deviceId } : {}),
			info: { manufacturer: 'M', model: 'X', baselineBuildId: baseline, softwareVersion: '1', kind: 'agent' }
		});
		if (!r.ok) throw new Error(r.error.message);
		return { deviceId: r.value.deviceId, keys, baseline: r.value.baselineBuildId };
	}

	function upload(maId: string, id: string, version: string, baselines: string[] = ['*']) {
		const r = services.packages.upload(maId, system, {
			manifest: { id, name: id, version, compatibleBaselines: baselines, entry: 'main.js' },
			bundle: `export const v = ${JSON.stringify(version)};`,
			encoding: 'utf8'
		});
		if (!r.ok) throw new Error(r.error.message);
		return r.value;
	}

	return { dataDir, config, store, db: store.db, events, seen, relay, time, services, system, maWithDevice, enrollDevice, upload };
}

export function newKeys() {
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	return {
		publicKey: publicKey.export({ format: 'jwk' }).x as string,
		sign: (m: string) => sign(null, Buffer.from(m), privateKey).toString('base64url')
	};
}

/** Lets queued microtasks and the relay's promises settle. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
