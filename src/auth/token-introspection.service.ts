import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal.js';
import { looksLikeJwt } from '../tokens/access-token-format.js';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { IntrospectionDto } from './dto/introspection.dto.js';
import { isSuperadmin } from '../access/roles-and-scopes.js';

const INACTIVE: IntrospectionDto = { active: false };

/**
 * RFC 7662 introspection for holders of `tokens:introspect`. A token of another tenant is
 * reported inactive unless the caller is a superadmin: introspection never crosses tenants.
 */
@Injectable()
export class TokenIntrospectionService {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly revocations: RevocationService,
    private readonly sessions: SessionsService,
  ) {}

  async introspect(token: string, hint: string | undefined, caller: Principal): Promise<IntrospectionDto> {
    const maySee = (tenantId: string): boolean => isSuperadmin(caller) || tenantId === caller.tenantId;
    if (hint === 'refresh_token' || !looksLikeJwt(token)) {
      const found = await this.sessions.findByCurrentRefreshToken(token);
      if (found && maySee(found.session.tenantId)) {
        return {
          active: true,
          sub: found.session.userId,
          tid: found.session.tenantId,
          scope: found.session.scopes.join(' '),
          exp: Math.floor(found.token.expiresAt.getTime() / 1000),
          iat: Math.floor(found.token.createdAt.getTime() / 1000),
          token_type: 'refresh_token',
          client_id: found.session.clientId,
        };
      }
      if (!looksLikeJwt(token)) return INACTIVE;
    }
    const principal = await this.verifier.verify(token).catch(() => undefined);
    if (!principal || this.revocations.verdict(principal) || !maySee(principal.tenantId)) return INACTIVE;
    return {
      active: true,
      sub: principal.subject,
      tid: principal.tenantId,
      scope: principal.scopes.join(' '),
      exp: principal.expiresAt,
      iat: principal.issuedAt,
      jti: principal.tokenId,
      token_type: 'Bearer',
      client_id: principal.clientId,
    };
  }
}
