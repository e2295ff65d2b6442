import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { RefreshTokenRotation } from '../sessions/refresh-token-rotation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import { type Role, scopesAllowedFor } from '../access/roles-and-scopes.js';
import type { IssuedTokens } from '../tokens/issued-tokens.js';

/** `/auth/refresh` and the refresh_token grant: a rotated refresh token and a fresh access token. */
@Injectable()
export class TokenRefreshService {
  constructor(
    private readonly rotation: RefreshTokenRotation,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly accessTokens: AccessTokenIssuer,
  ) {}

  /** For the OAuth client the token was issued to (`portcullis` for the service's own sign-ins); any other gets `refresh_token_invalid`. */
  async refresh(refreshToken: string, clientId: string, origin: RequestContext): Promise<IssuedTokens> {
    const { session, refreshToken: current, activeHolderRoles } = await this.rotation.exchange(refreshToken, clientId, origin);
    const roles = activeHolderRoles ?? (await this.activeHolderRoles(session));
    if (roles === undefined) {
      await this.sessions.revoke({ userId: session.userId, sessionId: session.id }, 'user_disabled', {
        type: 'session.revoked',
        tenantId: session.tenantId,
        actorId: null,
        origin,
      });
      throw new DomainError('refresh_token_invalid', 'The refresh token is not valid');
    }
    // Roles may have changed since sign-in: the session's scopes, cut down to what they allow now.
    const allowed = scopesAllowedFor(roles);
    const access = await this.accessTokens.issue({
      subject: session.userId,
      tenantId: session.tenantId,
      roles,
      scopes: session.scopes.filter((scope) => allowed.has(scope)),
      clientId: session.clientId,
      sessionId: session.id,
      authTime: Math.floor(session.createdAt.getTime() / 1000),
    });
    return { access, refreshToken: current };
  }

  /** The roles of the session's user when the user and the tenant are both active. */
  private async activeHolderRoles(session: { userId: string; tenantId: string }): Promise<Role[] | undefined> {
    const [user, tenant] = await Promise.all([this.users.findById(session.userId), this.tenants.findById(session.tenantId)]);
    return user?.active && tenant?.active ? user.roles : undefined;
  }
}
