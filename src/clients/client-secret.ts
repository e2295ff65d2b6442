import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable to secret scanners, and 256 random bits after the prefix. */
const SECRET_PREFIX = 'pcs_';

export function generateClientSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 suffices: the secret is 256 random bits, not a password. */
export function hashClientSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Compares in constant time (both sides are 32-byte digests). */
export function clientSecretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashClientSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
