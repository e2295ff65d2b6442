import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function headerOf(token: string): Record<string, unknown> {
  return decodeProtectedHeader(token);
}

export function claimsOf(token: string): Record<string, unknown> {
  return decodeJwt(token);
}

/** Signs arbitrary header and claims with a key of our own (for tokens the service must refuse). */
export async function signWith(
  key: KeyObject,
  header: Record<string, unknown> & { alg: string },
  claims: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

export function foreignEcKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** `alg: none`: header and claims with an empty signature. */
export function unsignedToken(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${b64url({ ...header, alg: 'none' })}.${b64url(claims)}.`;
}

/** HS256 keyed with some bytes (e.g. the service's public key): the classic algorithm-confusion forgery. */
export function hmacToken(secret: string | Buffer, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${b64url({ ...header, alg: 'HS256' })}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
