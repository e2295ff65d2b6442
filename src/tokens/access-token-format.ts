import type { AppConfig, JwtAlgorithm } from '../config/app-config.js';

/** Leeway for clock skew between us and whoever minted or checks a token. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Header `typ` of our access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Far above any token we issue; longer input is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 4096;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether a presented token has the three-part shape of a JWS (refresh tokens never do). */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

export interface AccessTokenVerifyOptions {
  algorithms: [JwtAlgorithm];
  issuer: string;
  audience: string;
  clockTolerance: number;
  complete: true;
}

/**
 * What `jsonwebtoken` checks for us, the same for passport-jwt (bearer tokens) and JwtService
 * (introspection): the pinned algorithm, `iss`, `aud`, `exp`/`nbf` with the leeway. `complete`
 * hands the header on, for the checks it does not make (see `AccessTokenVerifier`).
 */
export function accessTokenVerifyOptions(jwt: AppConfig['jwt']): AccessTokenVerifyOptions {
  return {
    algorithms: [jwt.algorithm],
    issuer: jwt.issuer,
    audience: jwt.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    complete: true,
  };
}

/** The decoded JOSE header of a compact JWS, or `undefined` when it is not one. */
export function joseHeaderOf(token: string): Record<string, unknown> | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? (header as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
