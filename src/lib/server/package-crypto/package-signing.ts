/**
 * The MA's signature over a package (SCOMO-SEC-03): it covers the owner, the manifest and the bundle's digest
 * and size in one canonical encoding (contract/sealed-package.ts packageSignedBytes), so a device that pinned
 * the MA's key detects a changed bundle, a changed manifest, or a package signed by anyone else.
 *
 * The keys themselves belong to src/lib/server/signing (the MA's command-signing key); this module only needs
 * something that signs bytes for one MA.
 */
import { packageSignedBytes, type SignedPackage } from '../../contract/sealed-package';

/** One MA's current signing key, as the packages service sees it. */
export interface PackageSigner {
	/** Signature over `bytes`, base64url. */
	sign(bytes: Uint8Array): string;
	/** The public key the device pinned (for logs and tests; the device never trusts it from here). */
	readonly publicKey: string;
}

/** The signer of an MA: its current key (created with the MA's first use; there is no unsigned package). */
export type PackageSignerSource = (maId: string) => PackageSigner;

export function signPackage(signer: PackageSigner, p: SignedPackage): string {
	return signer.sign(packageSignedBytes(p));
}
