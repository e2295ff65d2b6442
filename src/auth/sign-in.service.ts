import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/http/request-context.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { SessionsService } from '../tokens/sessions.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { grantScopes } from './roles-and-scopes.js';

/** Turns a user who proved who they are into a session and its first token pair. */
@Injectable()
export class SignInService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly users: UsersService,
  ) {}

  async signIn(user: User, requestedScope: string | undefined, context: RequestContext): Promise<TokenPairDto> {
    const scopes = grantScopes(requestedScope, user.roles);
    const { sessionId, refreshToken } = await this.sessions.start(user, scopes, context);
    const access = await this.accessTokens.issue({
      subject: user.id,
      tenantId: user.tenantId,
      roles: user.roles,
      scopes,
      sessionId,
    });
    await this.users.recordSignIn(user.id);
    return TokenPairDto.of(access, refreshToken);
  }
}
