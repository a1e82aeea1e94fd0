/** Identifiers: UUIDv7 for rows (time-ordered keys keep SQLite inserts append-only), random secrets for codes. */
import { v7 as uuidv7 } from 'uuid';
import { randomBytes, createHash } from 'node:crypto';

export const newId = (): string => uuidv7();

/** A URL-safe random secret (enrollment codes, API tokens, download tokens). */
export const newSecret = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/** Secrets are stored only as SHA-256 hashes, so a copy of the database reveals none of them. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
