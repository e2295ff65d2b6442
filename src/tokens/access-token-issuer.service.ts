import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SignJWT } from 'jose';
import type { Role, Scope } from '../auth/roles-and-scopes.js';
import type { AppConfig } from '../config/app-config.js';
import { ACCESS_TOKEN_TYPE } from './access-token-format.js';
import { SigningKeysService } from './signing-keys.service.js';

export interface AccessTokenSubject {
  subject: string;
  tenantId: string;
  roles: Role[];
  scopes: Scope[];
  sessionId?: string;
}

export interface IssuedAccessToken {
  token: string;
  tokenId: string;
  expiresIn: number;
  scope: string;
}

@Injectable()
export class AccessTokenIssuer {
  private readonly jwt: AppConfig['jwt'];

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly keys: SigningKeysService,
  ) {
    this.jwt = config.get('jwt', { infer: true });
  }

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = this.keys.signing;
    const now = Math.floor(Date.now() / 1000);
    const tokenId = randomUUID();
    const scope = subject.scopes.join(' ');
    const claims: Record<string, unknown> = { tid: subject.tenantId, roles: subject.roles, scope };
    if (subject.sessionId) claims.sid = subject.sessionId;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.jwt.issuer)
      .setAudience(this.jwt.audience)
      .setSubject(subject.subject)
      .setJti(tokenId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.jwt.accessTokenTtlSeconds)
      .sign(key.signingKey);
    return { token, tokenId, expiresIn: this.jwt.accessTokenTtlSeconds, scope };
  }
}
