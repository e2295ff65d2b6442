import { constants, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodeSegment = (segment: string): Record<string, unknown> => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

export function headerOf(token: string): Record<string, unknown> {
  return decodeSegment(token.split('.')[0]);
}

export function claimsOf(token: string): Record<string, unknown> {
  return decodeSegment(token.split('.')[1]);
}

/** The JWS signature of `input` under `alg` (RFC 7518), straight from node:crypto. */
function signatureOf(alg: string, key: KeyObject, input: string): Buffer {
  switch (alg) {
    case 'ES256':
      return sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    case 'RS256':
      return sign('sha256', Buffer.from(input), key);
    case 'PS256':
      return sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'HS256':
      return createHmac('sha256', key).update(input).digest();
    default:
      throw new Error(`forge cannot sign ${alg}`);
  }
}

/**
 * Signs arbitrary header and claims with a key of our own (for tokens the service must refuse).
 * Members set to `undefined` are left out, so a test can drop a claim by overriding it.
 */
export function signWith(key: KeyObject, header: Record<string, unknown> & { alg: string }, claims: Record<string, unknown>): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${signatureOf(header.alg, key, input).toString('base64url')}`;
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
