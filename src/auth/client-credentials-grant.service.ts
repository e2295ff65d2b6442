import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { ClientAuthenticator, type IdentifiedClient } from '../clients/client-authenticator.service.js';
import type { RequestContext } from '../common/http/request-context.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { clientSubject } from '../access/principal.js';
import { grantScopes } from '../access/roles-and-scopes.js';
import type { IssuedTokens } from '../tokens/issued-tokens.js';
import { UnitOfWork } from '../database/unit-of-work.js';

/** client_credentials: an access token for the client itself, with no roles, no session and no refresh token. */
@Injectable()
export class ClientCredentialsGrant {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clients: ClientAuthenticator,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly audit: AuditTrail,
  ) {}

  /** For a confidential client that has just authenticated. */
  async grant(client: IdentifiedClient, requestedScope: string | undefined, origin: RequestContext): Promise<IssuedTokens> {
    const scopes = grantScopes(requestedScope, new Set(client.scopes));
    const subject = clientSubject(client.id);
    return this.unitOfWork.run(async (transaction) => {
      await this.clients.lockWhileIssuing(transaction, client);
      const access = await this.accessTokens.issue({ subject, tenantId: client.tenantId, roles: [], scopes, clientId: client.id });
      // Recorded before the token is answered: no token leaves without its event.
      await this.audit.record(
        transaction,
        { type: 'client.token_issued', tenantId: client.tenantId, actorId: subject, subjectId: client.id, data: { tokenId: access.tokenId, scope: access.scope } },
        origin,
      );
      return { access };
    });
  }
}
