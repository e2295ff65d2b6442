import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Jwt } from 'jsonwebtoken';
import { ROLES, type Role, SCOPES, type Scope } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import { CLIENT_SUBJECT_PREFIX, FIRST_PARTY_CLIENT_ID, type Principal } from '../access/principal.js';
import { ACCESS_TOKEN_TYPE, CLOCK_TOLERANCE_SECONDS, joseHeaderOf, MAX_TOKEN_LENGTH } from './access-token-format.js';
import { SigningKeysService } from './signing-keys.service.js';

const invalid = (reason: string): DomainError => new DomainError('token_invalid', reason);

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Our rules for access tokens, around what `jsonwebtoken` checks (signature, pinned algorithm,
 * `iss`, `aud`, `exp`/`nbf` when present). Before any signature work: length, and a `kid` we
 * know whose algorithm is the pinned one. After it: header `typ` at+jwt, `exp`, `iat`, `sub`
 * and `jti` required, and no `iat` in the future; `jsonwebtoken` accepts a token without `exp`,
 * never refuses a future `iat` and never looks at `typ`. The passport-jwt strategy runs these
 * rules for bearer tokens; `verify` runs them through `JwtService` for introspection and revocation.
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly jwtService: JwtService,
  ) {}

  /** Verifies a token presented outside a request's `Authorization` header. */
  async verify(token: string): Promise<Principal> {
    // jsonwebtoken takes a KeyObject, though JwtService's types name only strings and buffers.
    const publicKey = this.keyFor(token) as unknown as Buffer;
    return this.principalOf(await this.jwtService.verifyAsync<Jwt>(token, { publicKey }));
  }

  /** The key that must have signed `token`; throws, without any signature work, when there is none. */
  keyFor(token: string): KeyObject {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('Token is too long');
    const header = joseHeaderOf(token);
    if (!header) throw invalid('Token is not a JWS');
    // RFC 7515 §4.1.11: extensions marked critical must be understood; we understand none.
    if (header.crit !== undefined) throw invalid('Token uses critical header extensions');
    const key = typeof header.kid === 'string' ? this.keys.find(header.kid) : undefined;
    if (!key || key.algorithm !== header.alg) throw invalid('Token was not signed by a known key');
    return key.verificationKey;
  }

  /** The caller a token whose signature `jsonwebtoken` has verified speaks for, after our own checks. */
  principalOf(decoded: Jwt): Principal {
    if (decoded.header.typ !== ACCESS_TOKEN_TYPE) throw invalid(`Token type must be ${ACCESS_TOKEN_TYPE}`);
    if (typeof decoded.payload !== 'object') throw invalid('Token payload is not a claims set');
    const claims: Record<string, unknown> = decoded.payload;
    const { sub, tid, roles, scope, sid, jti, iat, exp, client_id: clientId, auth_time: authTime } = claims;
    if (!isNumericDate(exp) || !isNumericDate(iat)) throw invalid('Token lacks exp or iat');
    if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) throw invalid('Token was issued in the future');
    if (!isNonEmptyString(sub) || !isNonEmptyString(jti)) throw invalid('Token lacks sub or jti');
    if (typeof tid !== 'string' || typeof scope !== 'string' || !isStringArray(roles)) {
      throw invalid('Token lacks tenant, roles or scope');
    }
    if (sid !== undefined && typeof sid !== 'string') throw invalid('Token has a malformed session id');
    // Both absent from tokens issued before the claims were (at most ACCESS_TOKEN_TTL ago): the service's own sign-ins then.
    if (clientId !== undefined && !isNonEmptyString(clientId)) throw invalid('Token has a malformed client_id');
    if (authTime !== undefined && !isNumericDate(authTime)) throw invalid('Token has a malformed auth_time');
    const knownRoles = roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role));
    const scopes = scope.split(' ').filter((item): item is Scope => (SCOPES as readonly string[]).includes(item));
    const verified = { subject: sub, tenantId: tid, roles: knownRoles, scopes, tokenId: jti, issuedAt: iat, expiresAt: exp };
    if (sub.startsWith(CLIENT_SUBJECT_PREFIX)) {
      const ownId = sub.slice(CLIENT_SUBJECT_PREFIX.length);
      if (sid !== undefined) throw invalid('Token of an API client names a session');
      if (clientId !== undefined && clientId !== ownId) throw invalid('Token of an API client names another client');
      return { kind: 'client', clientId: ownId, ...verified };
    }
    return { kind: 'user', userId: sub, clientId: clientId ?? FIRST_PARTY_CLIENT_ID, sessionId: sid, authTime, ...verified };
  }
}
