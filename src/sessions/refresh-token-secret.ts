import { createHash, randomBytes } from 'node:crypto';

/** 256 bits of randomness, base64url: opaque to clients, never stored as is. */
export function generateRefreshTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a refresh token. SHA-256 fits: the input is already 256 random bits. */
export function hashRefreshTokenSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
