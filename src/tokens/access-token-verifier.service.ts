import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { ROLES, type Role, SCOPES, type Scope } from '../auth/roles-and-scopes.js';
import type { AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../common/http/principal.js';
import { ACCESS_TOKEN_TYPE, CLOCK_TOLERANCE_SECONDS } from './access-token-format.js';
import { SigningKeysService } from './signing-keys.service.js';

/** Far above any token we issue; longer input is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 4096;

const invalid = (reason: string): DomainError => new DomainError('token_invalid', reason);

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Verifies access tokens: signature with the pinned algorithm and a known `kid`, `typ` at+jwt,
 * `iss`, `aud`, and the time claims. `exp` and `iat` are required and an `iat` in the future
 * is refused: JWT libraries accept a token without `exp` and never refuse a future `iat`.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwt: AppConfig['jwt'];

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly keys: SigningKeysService,
  ) {
    this.jwt = config.get('jwt', { infer: true });
  }

  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('Token is too long');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: [this.jwt.algorithm],
        typ: ACCESS_TOKEN_TYPE,
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch (error) {
      throw this.toDomainError(error);
    }
    const now = Math.floor(Date.now() / 1000);
    if (payload.iat! > now + CLOCK_TOLERANCE_SECONDS) throw invalid('Token was issued in the future');
    return this.principalOf(payload);
  }

  private keyFor(header: JWTHeaderParameters) {
    const key = header.kid ? this.keys.find(header.kid) : undefined;
    if (!key || key.algorithm !== header.alg) throw invalid('Token was not signed by a known key');
    return key.verificationKey;
  }

  private principalOf(payload: JWTPayload): Principal {
    const { sub, tid, roles, scope, sid, jti, iat, exp } = payload;
    if (typeof tid !== 'string' || typeof scope !== 'string' || !isStringArray(roles)) {
      throw invalid('Token lacks tenant, roles or scope');
    }
    if (sid !== undefined && typeof sid !== 'string') throw invalid('Token has a malformed session id');
    const knownRoles = roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role));
    const scopes = scope.split(' ').filter((item): item is Scope => (SCOPES as readonly string[]).includes(item));
    const subject = sub!;
    return {
      subject,
      userId: subject.startsWith('client:') ? undefined : subject,
      tenantId: tid,
      roles: knownRoles,
      scopes,
      sessionId: sid,
      tokenId: jti!,
      issuedAt: iat!,
      expiresAt: exp!,
    };
  }

  private toDomainError(error: unknown): DomainError {
    if (error instanceof DomainError) return error;
    if (error instanceof errors.JWTExpired) return new DomainError('token_expired', 'Token has expired');
    if (error instanceof errors.JOSEError) return invalid(`Token is not valid (${error.code})`);
    return invalid('Token is not valid');
  }
}
