import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import { headerOf } from './forge.js';

export interface JwksVerification {
  issuer: string;
  audience?: string;
  algorithms: string[];
}

/**
 * Verifies a token as a relying party of ours would, with nothing but the published JWKS and
 * another JWT library (fast-jwt, which shares no code with jsonwebtoken): key by `kid`,
 * pinned algorithms, `iss`, `aud` and `typ` at+jwt. Returns the claims; throws when it refuses.
 */
export function verifyWithJwks(token: string, jwks: { keys: Array<JsonWebKey & { kid?: string }> }, expected: JwksVerification): Record<string, unknown> {
  const jwk = jwks.keys.find((key) => key.kid === headerOf(token).kid);
  if (!jwk) throw new Error(`no key ${String(headerOf(token).kid)} in the JWKS`);
  const verify = createVerifier({
    key: createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString(),
    algorithms: expected.algorithms as never,
    allowedIss: expected.issuer,
    allowedAud: expected.audience ?? 'portcullis',
    checkTyp: 'at+jwt',
  });
  return verify(token) as Record<string, unknown>;
}
