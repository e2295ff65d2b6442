import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../access/decorators/public.decorator.js';
import { DomainError } from '../common/errors/domain.error.js';
import { Origin } from '../common/decorators/origin.decorator.js';
import type { RequestContext } from '../common/http/request-context.js';
import { ClientAuthenticator, type OAuthClient } from '../clients/client-authenticator.service.js';
import { presentedClientOf } from '../clients/presented-client.js';
import { ClientCredentialsGrant } from './client-credentials-grant.service.js';
import { CredentialsService } from './credentials.service.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { TokenParameterDto } from './dto/token-parameter.dto.js';
import { TokenRequestDto } from './dto/token-request.dto.js';
import { passwordGrantAccount } from './password-grant-username.js';
import { SignInService } from './sign-in.service.js';
import { TokenRefreshService } from './token-refresh.service.js';
import { TokenRevocationService } from './token-revocation.service.js';
import type { IssuedTokens } from '../tokens/issued-tokens.js';

/** The OAuth 2.0 endpoints: JSON or form bodies, errors in RFC 6749 §5.2 form (each route's `oauthErrors`). */
@ApiTags('oauth')
@Controller('auth')
export class OAuthController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly signIn: SignInService,
    private readonly refresher: TokenRefreshService,
    private readonly revocation: TokenRevocationService,
    private readonly clientCredentials: ClientCredentialsGrant,
    private readonly clients: ClientAuthenticator,
  ) {}

  @Post('token')
  @Public({ rateLimited: true, checksPassword: true, oauthErrors: true })
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Token endpoint (RFC 6749): password, refresh_token and client_credentials grants; clients authenticate by HTTP Basic or in the body',
    description:
      'A confidential client authenticates with `client_secret_basic` or `client_secret_post`; a public client sends `client_id` alone; ' +
      'no client at all is the service’s own (`portcullis`), as in Swagger UI’s Authorize dialog. A refresh token is refreshed only by the client ' +
      'it was issued to. Parameters the endpoint does not know are ignored (RFC 6749 §3.2). ' +
      'Password grant: `username` is the email for the `default` tenant, or `tenant/email` for another one (`acme/ada@example.com`), ' +
      'which is what Swagger UI’s Authorize dialog can send. The username is split at its first `/` only when no `tenant` field is sent ' +
      'and the part before the `/` is a tenant slug; otherwise it is the email as a whole. An email with a `/` in its local part is written ' +
      'with its tenant (`default/ops/team@example.com`) or sent with `tenant`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ description: '`invalid_request`, `invalid_grant`, `unauthorized_client`, `unsupported_grant_type`' })
  @ApiUnauthorizedResponse({ description: '`invalid_client`: client authentication failed (with `WWW-Authenticate: Basic`)' })
  async token(@Req() request: FastifyRequest, @Body() body: TokenRequestDto, @Origin() origin: RequestContext): Promise<TokenPairDto> {
    const client = await this.clients.identify(presentedClientOf(request.headers.authorization, body));
    return TokenPairDto.of(await this.grant(client, body, origin));
  }

  private async grant(client: OAuthClient, body: TokenRequestDto, origin: RequestContext): Promise<IssuedTokens> {
    switch (body.grant_type) {
      case 'password': {
        if (body.username === undefined || body.password === undefined) {
          throw new DomainError('invalid_request', 'The password grant needs username and password');
        }
        // An API client signs in users of its own tenant only.
        const clientTenant = client.kind === 'first-party' ? undefined : client.tenantSlug;
        if (clientTenant !== undefined && body.tenant !== undefined && body.tenant.toLowerCase() !== clientTenant) {
          throw new DomainError('invalid_grant', 'This client signs in users of its own tenant only');
        }
        const account = passwordGrantAccount(body.tenant ?? clientTenant, body.username);
        const user = await this.credentials.verify(account.tenant, account.email, body.password, origin);
        return this.signIn.signIn(user, { scope: body.scope, clientId: client.id }, origin);
      }
      case 'refresh_token': {
        if (body.refresh_token === undefined) throw new DomainError('invalid_request', 'The refresh_token grant needs refresh_token');
        return this.refresher.refresh(body.refresh_token, client.id, origin);
      }
      case 'client_credentials': {
        if (client.kind === 'first-party') throw new DomainError('invalid_client', 'Client authentication failed');
        if (client.kind === 'public') throw new DomainError('unauthorized_client', 'A public client cannot use client_credentials');
        return this.clientCredentials.grant(client, body.scope, origin);
      }
      default:
        throw new DomainError('unsupported_grant_type', `Grant type "${body.grant_type}" is not supported`);
    }
  }

  @Post('revoke')
  @Public({ rateLimited: true, oauthErrors: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke an access or refresh token (RFC 7009); 200 also for unknown or invalid tokens',
    description:
      'A client revokes only tokens issued to it, authenticating as at the token endpoint (a public client sends `client_id`); ' +
      'without client authentication, only tokens of the service’s own sign-ins. Another client’s token: 400 `unauthorized_client`.',
  })
  @ApiBadRequestResponse({ description: '`unauthorized_client`: the token was issued to another client' })
  @ApiUnauthorizedResponse({ description: '`invalid_client`: client authentication failed (with `WWW-Authenticate: Basic`)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke (no content: an empty body)' })
  async revoke(@Req() request: FastifyRequest, @Body() body: TokenParameterDto, @Origin() origin: RequestContext): Promise<void> {
    const client = await this.clients.identify(presentedClientOf(request.headers.authorization, body));
    await this.revocation.revoke(body.token, body.token_type_hint, client.id, origin);
  }
}
