import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import type { Algorithm, Jwt, JwtPayload } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';

/** What a Portcullis access token says (RFC 9068 profile; see "Tokens" in the API guide). */
export interface PortcullisAccessToken extends JwtPayload {
  /** A user id, or `client:<clientId>` for a client_credentials token. */
  sub: string;
  /** The API client the token was issued to (`portcullis` for the service's own sign-ins). */
  client_id: string;
  /** The tenant id. */
  tid: string;
  roles: string[];
  /** Space-separated. */
  scope: string;
}

export interface PortcullisSettings {
  /** The deployment's `JWT_ISSUER`, exactly (the `issuer` of its discovery document). */
  issuer: string;
  /** Its `JWT_AUDIENCE` (`portcullis` unless configured). */
  audience: string;
  /** `jwks_uri` of `/.well-known/oauth-authorization-server`. */
  jwksUri: string;
  /** Its `JWT_ALG`, as a list: `['ES256']` by default, `['RS256']` or `['PS256']` if so configured. */
  algorithms: Algorithm[];
}

/** Provide the settings under this token, e.g. with `useFactory` from your `ConfigService`. */
export const PORTCULLIS_SETTINGS = Symbol('PORTCULLIS_SETTINGS');

// RFC 9068 §2.2 requires these; `tid` and `scope` are what a service of a Portcullis tenant
// decides with. jsonwebtoken itself requires `iss` and `aud` (given below), and no other claim:
// without this list it would accept a token that has no `exp` as one that never expires.
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'client_id', 'jti', 'tid', 'scope'];

/**
 * Bearer tokens from Portcullis, verified through its JWKS. Register it as a provider next to
 * `PORTCULLIS_SETTINGS` and guard routes with `PortcullisAuthGuard`; `request.user` is then the
 * token's claims.
 */
@Injectable()
export class PortcullisJwtStrategy extends PassportStrategy(Strategy, 'portcullis-jwt') {
  constructor(@Inject(PORTCULLIS_SETTINGS) settings: PortcullisSettings) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jwks-rsa fetches the key the token's `kid` names and caches it (10 minutes); a `kid` it
      // has not seen (a Portcullis key rotation) means a new fetch, rate-limited so that tokens
      // with made-up `kid`s cannot make the service hammer Portcullis.
      secretOrKeyProvider: passportJwtSecret({ jwksUri: settings.jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }),
      // Pinned: the token's own `alg` header never chooses the algorithm, so `alg: none` and HS256
      // "signed" with the public key (algorithm confusion, RFC 8725 §2.1) are refused.
      algorithms: settings.algorithms,
      issuer: settings.issuer,
      audience: settings.audience,
      jsonWebTokenOptions: {
        // The skew Portcullis allows itself; `exp` is still enforced, 30 s late at most.
        clockTolerance: 30,
        // Hands `validate` the header too, for the `typ` check jsonwebtoken does not make.
        complete: true,
      },
    });
  }

  validate(token: Jwt): PortcullisAccessToken {
    // Only an access token (RFC 9068 §4), not another JWT that the same key might sign.
    if (token.header.typ !== 'at+jwt') throw new UnauthorizedException();
    const claims = token.payload;
    if (typeof claims === 'string' || REQUIRED_CLAIMS.some((claim) => claims[claim] === undefined)) throw new UnauthorizedException();
    return claims as PortcullisAccessToken;
  }
}

/** `@UseGuards(PortcullisAuthGuard)` on a controller or a route. */
export class PortcullisAuthGuard extends AuthGuard('portcullis-jwt') {}
