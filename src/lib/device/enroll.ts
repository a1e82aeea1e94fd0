/**
 * Enrollment: the device registers its public key with an MA using a one-time code, proving it holds the
 * private key by signing enrollProofMessage(code, publicKey). A device already enrolled with another MA sends
 * its device ID, so every MA sees the same device (one key, one baseline: SCOMO-HLFR-9).
 */
import { enrollProofMessage, type ApiErrorBody, type DeviceInfoMsg, type EnrollRequestBody, type EnrollResponse } from '../contract';
import { err, ok, type Result } from '../core';
import { errorMessage } from './events';
import { selfSigned } from './verify';
import type { Identity, Signer, StateStore } from './ports';

/** `reason`: for an invalid code, which case (unknown, used, revoked, expired), from the server's issue. */
export type EnrollError = { status: number; code: string; message: string; reason?: string };

export type EnrollInput = {
	serverUrl: string;
	code: string;
	signer: Signer;
	info: DeviceInfoMsg;
	kind?: 'agent' | 'pwa';
	deviceId?: string;
	fetch?: typeof fetch;
	/** SCOMO-SEC-03: the device's ECDH P-256 public key (Decrypter.publicKey); packages are sealed to it. */
	encryptionKey?: string;
};

/** POST /api/device/enroll. Errors as values with the server's stable code (or 'network'). */
export async function requestEnrollment(input: EnrollInput): Promise<Result<EnrollResponse, EnrollError>> {
	const body: EnrollRequestBody = {
		code: input.code,
		publicKey: input.signer.publicKey,
		keyAlgorithm: 'Ed25519',
		proof: await input.signer.sign(enrollProofMessage(input.code, input.signer.publicKey)),
		...(input.deviceId ? { deviceId: input.deviceId } : {}),
		...(input.encryptionKey ? { encryptionKey: input.encryptionKey } : {}),
		info: { ...input.info, kind: input.kind ?? 'agent' }
	};
	let res: Response;
	try {
		res = await (input.fetch ?? fetch)(new URL('/api/device/enroll', input.serverUrl), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
	} catch (e) {
		return err({ status: 0, code: 'network', message: `The server could not be reached: ${errorMessage(e)}` });
	}
	const json = (await res.json().catch(() => null)) as unknown;
	if (res.status !== 201) {
		const error = (json as ApiErrorBody | null)?.error;
		const reason = error?.issues?.find((i) => i.path === 'code')?.message;
		return err({ status: res.status, code: error?.code ?? 'unexpected', message: error?.message ?? `HTTP ${res.status}`, ...(reason ? { reason } : {}) });
	}
	return ok(json as EnrollResponse);
}

/** The identity after an enrollment: a new one, or the old one with one more MA. */
export function identityAfter(
	previous: Identity | null,
	serverUrl: string,
	info: DeviceInfoMsg,
	res: EnrollResponse,
	encryptionKey?: string
): Identity {
	const mas = (previous?.mas ?? []).filter((m) => m.maId !== res.ma.id);
	// SCOMO-SEC-01: pin the MA's command-signing keys (trust on first use, anchored by the one-time code).
	const trust = res.trust && res.trust.statement.maId === res.ma.id ? res.trust.statement : undefined;
	mas.push({ maId: res.ma.id, name: res.ma.name, ...(trust ? { trust } : {}), ...(res.enrolledAt !== undefined ? { enrolledAt: res.enrolledAt } : {}) });
	return {
		deviceId: res.deviceId,
		serverUrl,
		// The server keeps the first baseline ever enrolled (SCOMO-HLFR-9); the device adopts it.
		baselineBuildId: res.baselineBuildId,
		info: { ...info, baselineBuildId: res.baselineBuildId },
		mas,
		// SCOMO-SEC-03: once the server holds an encryption key, only sealed packages are accepted.
		...(encryptionKey ?? previous?.encryptionKey ? { encryptionKey: encryptionKey ?? previous?.encryptionKey } : {})
	};
}

/** Enroll and persist the identity. `info` is used for a first enrollment; later ones keep the stored info. */
export async function enrollDevice(
	store: StateStore,
	input: Omit<EnrollInput, 'deviceId' | 'info'> & { info: DeviceInfoMsg }
): Promise<Result<Identity, EnrollError>> {
	const previous = await store.readIdentity();
	const info = previous?.info ?? input.info;
	const res = await requestEnrollment({ ...input, info, deviceId: previous?.deviceId });
	if (!res.ok) return res;
	// A statement its own keys do not sign is not pinned: commands are then refused (1453), never trusted blindly.
	if (res.value.trust && !(await selfSigned(res.value.trust, Date.now()))) delete res.value.trust;
	const identity = identityAfter(previous, input.serverUrl, info, res.value, input.encryptionKey);
	await store.writeIdentity(identity);
	return ok(identity);
}
