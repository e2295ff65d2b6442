import { Injectable } from '@nestjs/common';
import { ClientAuthenticator } from '../clients/client-authenticator.service.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { CLIENT_SUBJECT_PREFIX } from './roles-and-scopes.js';

/** client_credentials: an access token for the client itself, with no roles, no session and no refresh token. */
@Injectable()
export class ClientCredentialsGrant {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly accessTokens: AccessTokenIssuer,
  ) {}

  async grant(clientId: string, clientSecret: string, requestedScope: string | undefined): Promise<TokenPairDto> {
    const client = await this.clients.authenticate(clientId, clientSecret);
    const wanted = requestedScope?.split(' ').filter((scope) => scope !== '');
    // A scope the client does not hold is dropped, never granted.
    const scopes = wanted && wanted.length > 0 ? client.scopes.filter((scope) => wanted.includes(scope)) : client.scopes;
    const access = await this.accessTokens.issue({
      subject: `${CLIENT_SUBJECT_PREFIX}${client.id}`,
      tenantId: client.tenantId,
      roles: [],
      scopes,
    });
    return TokenPairDto.of(access);
  }
}
