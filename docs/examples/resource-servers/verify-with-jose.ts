import { createRemoteJWKSet, type JWSAlgorithm, jwtVerify, type JWTPayload } from 'jose';

/** What a Portcullis access token says (RFC 9068 profile; see "Tokens" in the API guide). */
export interface PortcullisAccessToken extends JWTPayload {
  iss: string;
  aud: string | string[];
  /** A user id, or `client:<clientId>` for a client_credentials token. */
  sub: string;
  /** The API client the token was issued to (`portcullis` for the service's own sign-ins). */
  client_id: string;
  /** The tenant id. */
  tid: string;
  roles: string[];
  /** Space-separated. */
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  /** Users only: the session, when they signed in, and how (RFC 8176). */
  sid?: string;
  auth_time?: number;
  amr?: string[];
}

export interface PortcullisSettings {
  /** The deployment's `JWT_ISSUER`, exactly (the `issuer` of its discovery document). */
  issuer: string;
  /** Its `JWT_AUDIENCE` (`portcullis` unless configured). */
  audience: string;
  /** `jwks_uri` of `/.well-known/oauth-authorization-server`. */
  jwksUri: string;
  /** Its `JWT_ALG`, as a list: `['ES256']` by default, `['RS256']` or `['PS256']` if so configured. */
  algorithms: JWSAlgorithm[];
}

// RFC 9068 §2.2 requires these; `tid` and `scope` are what a service of a Portcullis tenant
// decides with. jose adds `iss` and `aud` itself, since `issuer` and `audience` are given.
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'client_id', 'jti', 'tid', 'scope'];

/**
 * Make the verifier once, at start-up, and call it for every request: its key set is fetched once
 * and cached (10 minutes), and fetched again when a token names a `kid` not in the cache (at most
 * every 30 s), which is how a Portcullis key rotation reaches the service without a restart.
 * Answers the claims, or throws (a `jose.errors.JOSEError`): answer 401 then.
 */
export function createAccessTokenVerifier(settings: PortcullisSettings): (token: string) => Promise<PortcullisAccessToken> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUri));
  return async (token) => {
    const { payload } = await jwtVerify<PortcullisAccessToken>(token, keys, {
      // Pinned: the token's own `alg` header never chooses the algorithm, so `alg: none` and HS256
      // "signed" with the public key (algorithm confusion, RFC 8725 §2.1) are refused.
      algorithms: settings.algorithms,
      issuer: settings.issuer,
      audience: settings.audience,
      // Only an access token (RFC 9068 §4), not another JWT that the same key might sign.
      typ: 'at+jwt',
      // The skew Portcullis allows itself; `exp` is still enforced, 30 s late at most.
      clockTolerance: 30,
      requiredClaims: REQUIRED_CLAIMS,
    });
    return payload;
  };
}
