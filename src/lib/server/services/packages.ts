/**
 * Component packages: a manifest plus one JavaScript bundle, stored with its SHA-256 digest and size.
 * A component ID is unique within its MA: each MA may use any ID, and another MA using the same one is neither
 * refused nor told (ADC-3). Each upload adds a version, which is what Update installs.
 */
import { ManifestSchema, parse, type Manifest } from '../../contract';
import { ok } from '../../core';
import { newId } from '../ids';
import * as pkgs from '../db/repos/packages';
import { audit } from './audit';
import { storeBundle } from './bundle-store';
import { fail, type Outcome } from './errors';
import { badCursor, clampLimit, decodeCursor, pageOf, type Page, type PageQuery } from './keyset-cursor';
import { latestVersion } from './semver';
import { packageView, type PackageView } from './views';
import type { AuditActor, ServiceDeps } from './deps';
import { signPackage, type PackageSignerSource } from '../package-crypto/package-signing';

export type UploadedPackage = {
	packageId: string;
	versionId: string;
	componentId: string;
	version: string;
	sha256: string;
	size: number;
};

export function createPackageService(
	deps: ServiceDeps,
	/** SCOMO-SEC-03: the MA's signing key (src/lib/server/signing); every version is signed on upload. */
	signerFor: PackageSignerSource
) {
	const { db } = deps;

	function upload(
		maId: string,
		actor: AuditActor,
		input: { manifest: unknown; bundle: string; encoding: 'utf8' | 'base64' }
	): Outcome<UploadedPackage> {
		const m = parse(ManifestSchema, input.manifest);
		if (!m.ok) return fail('package_invalid', 'the manifest is not valid', m.issues);
		const manifest: Manifest = m.value;
		if (input.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(input.bundle)) {
			return fail('package_invalid', 'the bundle is not valid base64');
		}
		const bytes = input.encoding === 'base64' ? Buffer.from(input.bundle, 'base64') : Buffer.from(input.bundle, 'utf8');
		if (bytes.length === 0) return fail('package_invalid', 'the bundle is empty');
		const max = deps.config().maxBundleBytes;
		if (bytes.length > max) return fail('payload_too_large', `the bundle is ${bytes.length} bytes; at most ${max} are accepted`);

		// Only this MA's own components are looked at: whether another MA uses the ID must not change the answer.
		const existing = pkgs.getPackageOfMa(db, maId, manifest.id);
		if (existing && pkgs.getPackageVersion(db, existing.id, manifest.version)) {
			return fail('conflict', `${manifest.id} ${manifest.version} already exists; upload a new version`);
		}

		// Bytes first (content-addressed, harmless if the transaction then fails), then the rows.
		const { sha256, size } = storeBundle(deps.config().dataDir, bytes);
		const now = deps.clock();
		const packageId = existing?.id ?? newId();
		const versionId = newId();
		// SCOMO-SEC-03: the MA's signature over owner + manifest + digest + size; the device verifies it.
		const signer = signerFor(maId);
		const signature = signPackage(signer, { maId, componentId: manifest.id, version: manifest.version, sha256, size, manifest });
		try {
			db.transaction((tx) => {
				if (!existing) {
					pkgs.insertPackage(tx, {
						id: packageId,
						maId,
						componentId: manifest.id,
						name: manifest.name,
						description: manifest.description,
						createdAt: now
					});
				} else {
					pkgs.updatePackageInfo(tx, packageId, { name: manifest.name, description: manifest.description });
				}
				pkgs.insertPackageVersion(tx, {
					id: versionId,
					packageId,
					version: manifest.version,
					manifest: JSON.stringify(manifest),
					compatibleBaselines: JSON.stringify(manifest.compatibleBaselines),
					bundleSha256: sha256,
					bundleSize: size,
					signature,
					createdAt: now
				});
				audit(tx, now, {
					maId,
					actor,
					action: 'package.upload',
					targetType: 'package',
					targetId: packageId,
					outcome: 'ok',
					detail: { componentId: manifest.id, version: manifest.version, sha256, size }
				});
			});
		} catch (e) {
			// Two uploads of the same version at once: the unique index decides.
			if (String((e as Error).message).includes('UNIQUE')) return fail('conflict', `${manifest.id} ${manifest.version} already exists`);
			throw e;
		}
		return ok({ packageId, versionId, componentId: manifest.id, version: manifest.version, sha256, size });
	}

	/** Every package of the MA (the operation dialog's choices: packages are authored by people, not fleet-sized). */
	function list(maId: string): PackageView[] {
		const rows = pkgs.listPackagesOfMa(db, maId);
		const versions = pkgs.listVersionsOfPackages(
			db,
			rows.map((r) => r.id)
		);
		return rows.map((r) => packageView(r, versions.filter((v) => v.packageId === r.id)));
	}

	/** One keyset page of the MA's packages in component ID order, each with every version, and the total. */
	function page(maId: string, query: PageQuery): Outcome<Page<PackageView>> {
		const after = query.cursor ? decodeCursor(query.cursor, ['text', 'text']) : null;
		if (query.cursor && !after) return badCursor();
		const limit = clampLimit(query.limit);
		const rows = pkgs.listPackagePage(db, maId, after && { componentId: after[0], id: after[1] }, limit + 1);
		const p = pageOf(rows, limit, (r) => [r.componentId, r.id]);
		const versions = pkgs.listVersionsOfPackages(
			db,
			p.rows.map((r) => r.id)
		);
		return ok({
			items: p.rows.map((r) => packageView(r, versions.filter((v) => v.packageId === r.id))),
			nextCursor: p.nextCursor,
			total: pkgs.countPackagesOfMa(db, maId)
		});
	}

	/** One package of this MA; another MA's package of the same ID is not even looked at (SCOMO-ADC-3). */
	function get(maId: string, componentId: string): Outcome<PackageView> {
		const p = pkgs.getPackageOfMa(db, maId, componentId);
		if (!p) return fail('not_found', 'package not found');
		return ok(packageView(p, pkgs.listVersionsOfPackages(db, [p.id])));
	}

	/** A version of an MA's component: the given one, or the highest when omitted. */
	function resolveVersion(maId: string, componentId: string, version?: string | null) {
		const p = pkgs.getPackageOfMa(db, maId, componentId);
		if (!p) return fail('not_found', `component ${componentId} not found`);
		const v = version
			? pkgs.getPackageVersion(db, p.id, version)
			: latestVersion(pkgs.listVersionsOfPackages(db, [p.id]));
		if (!v) return fail('not_found', version ? `version ${version} of ${componentId} not found` : `${componentId} has no versions`);
		return ok({ pkg: p, version: v });
	}

	/**
	 * SCOMO-SEC-03: signs every version of the MA again with its current key. Called after a key rotation, so
	 * versions stay verifiable once the old key's overlap has ended and devices no longer trust it.
	 */
	function resignAll(maId: string): number {
		const signer = signerFor(maId);
		const rows = pkgs.listPackagesOfMa(db, maId);
		const versions = pkgs.listVersionsOfPackages(
			db,
			rows.map((r) => r.id)
		);
		db.transaction((tx) => {
			for (const v of versions) {
				const componentId = rows.find((r) => r.id === v.packageId)!.componentId;
				const manifest = JSON.parse(v.manifest) as Manifest;
				const signature = signPackage(signer, { maId, componentId, version: v.version, sha256: v.bundleSha256, size: v.bundleSize, manifest });
				pkgs.setVersionSignature(tx, v.id, signature);
			}
		});
		return versions.length;
	}

	return { upload, list, page, get, resolveVersion, resignAll };
}

export type PackageService = ReturnType<typeof createPackageService>;
