/**
 * The shortest overlap of a key rotation. Devices learn the MA's new command-signing key only from the trust
 * statement that travels with their next command set, signed by the old key too; a device offline for the whole
 * overlap would be stranded (it must re-enroll), so the old key stays valid at least this long.
 */
export const MIN_ROTATION_OVERLAP_SECONDS = 24 * 3600;
