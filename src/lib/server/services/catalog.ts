/**
 * What a device may ask for: the packages of an MA it is enrolled with, each version marked compatible
 * or not with the device's baseline (SCOMO-HLFR-9), and download tokens for the packages its commands name.
 */
import type { CatalogEntry } from '../../contract';
import { ok } from '../../core';
import * as pkgs from '../db/repos/packages';
import * as devicesRepo from '../db/repos/devices';
import * as enrollmentsRepo from '../db/repos/enrollments';
import { fail, type Outcome } from './errors';
import { compareVersions } from './semver';
import { DOWNLOAD_TOKEN_TTL_MS, signDownloadToken, verifyDownloadToken } from './download-tokens';
import type { OperationService } from './operations';
import type { PackageVersionRow } from '../db/repos/packages';
import type { ServiceDeps } from './deps';

export const isCompatible = (baselines: readonly string[], baseline: string) =>
	baselines.length === 0 || baselines.includes('*') || baselines.includes(baseline);

export function createCatalogService(deps: ServiceDeps, operations: OperationService) {
	const { db } = deps;

	function list(deviceId: string, maId: string): Outcome<CatalogEntry[]> {
		const device = devicesRepo.getDevice(db, deviceId);
		const e = enrollmentsRepo.getEnrollment(db, deviceId, maId);
		if (!device || !e || e.leftAt !== null) return fail('not_found', 'not enrolled with this MA');
		const rows = pkgs.listPackagesOfMa(db, maId);
		const versions = pkgs.listVersionsOfPackages(
			db,
			rows.map((r) => r.id)
		);
		return ok(
			rows.map((p) => ({
				componentId: p.componentId,
				name: p.name,
				description: p.description,
				versions: versions
					.filter((v) => v.packageId === p.id)
					.sort((a, b) => compareVersions(b.version, a.version))
					.map((v) => ({
						version: v.version,
						permissions: (JSON.parse(v.manifest) as { permissions?: string[] }).permissions ?? [],
						compatible: isCompatible(JSON.parse(v.compatibleBaselines) as string[], device.baselineBuildId)
					}))
			}))
		);
	}

	/** A download URL for the package of one of this device's unfinished operations (5 minutes). */
	function issueToken(deviceId: string, correlator: string): Outcome<{ url: string; expiresAt: number }> {
		const v = operations.packageVersionFor(deviceId, correlator);
		if (!v.ok) return v;
		const expiresAt = deps.clock() + DOWNLOAD_TOKEN_TTL_MS;
		const token = signDownloadToken(deps.secrets.downloadKey, { deviceId, versionId: v.value.id, expiresAt });
		return ok({ url: `${deps.config().origin}/api/device/bundles/${token}`, expiresAt });
	}

	/**
	 * The package version a token grants, if the token is genuine, unexpired and its device still valid; with
	 * the device's encryption key, which the download is sealed to (SCOMO-SEC-03).
	 */
	function redeemToken(token: string): Outcome<PackageVersionRow & { deviceId: string; deviceEncryptionKey: string | null }> {
		const bad = () => fail('download_token_invalid', 'the download link is invalid or has expired');
		const claims = verifyDownloadToken(deps.secrets.downloadKey, token, deps.clock());
		if (!claims) return bad();
		const device = devicesRepo.getDevice(db, claims.deviceId);
		if (!device || device.revokedAt !== null) return bad();
		const v = pkgs.getPackageVersionById(db, claims.versionId);
		if (!v) return bad();
		return ok({ ...v, deviceId: device.id, deviceEncryptionKey: device.encryptionKey });
	}

	return { list, issueToken, redeemToken };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
