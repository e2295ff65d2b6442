import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { Role, Scope } from '../access/roles-and-scopes.js';
import type { AppConfig } from '../config/app-config.js';
import { SigningKeysService } from './signing-keys.service.js';

export interface AccessTokenSubject {
  subject: string;
  tenantId: string;
  roles: Role[];
  scopes: Scope[];
  /** `client_id` (RFC 9068 §2.2): the API client the token is issued to, or `portcullis`. */
  clientId: string;
  sessionId?: string;
  /** `auth_time` (epoch seconds), for a user: when they proved who they are. */
  authTime?: number;
}

export interface IssuedAccessToken {
  token: string;
  tokenId: string;
  expiresIn: number;
  scope: string;
}

/**
 * Signs access tokens with `JwtService` and the current signing key. The algorithm, `typ`,
 * `iss`, `aud` and lifetime come from `JwtModule`'s options (`TokensModule`); the key and its
 * `kid` are chosen per token, so that a rotation takes effect at once.
 */
@Injectable()
export class AccessTokenIssuer {
  private readonly expiresIn: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly keys: SigningKeysService,
    private readonly jwtService: JwtService,
  ) {
    this.expiresIn = config.get('jwt', { infer: true }).accessTokenTtlSeconds;
  }

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = this.keys.signing;
    const tokenId = randomUUID();
    const scope = subject.scopes.join(' ');
    const claims: Record<string, unknown> = { client_id: subject.clientId, tid: subject.tenantId, roles: subject.roles, scope, iat: Math.floor(Date.now() / 1000) };
    if (subject.sessionId) claims.sid = subject.sessionId;
    if (subject.authTime !== undefined) claims.auth_time = subject.authTime;
    const token = await this.jwtService.signAsync(claims, {
      privateKey: key.signingKey,
      keyid: key.kid,
      subject: subject.subject,
      jwtid: tokenId,
    });
    return { token, tokenId, expiresIn: this.expiresIn, scope };
  }
}
