import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../access/decorators/public.decorator.js';
import { DomainError } from '../common/errors/domain.error.js';
import { Origin } from '../common/decorators/origin.decorator.js';
import type { RequestContext } from '../common/http/request-context.js';
import { ClientCredentialsGrant } from './client-credentials-grant.service.js';
import { clientCredentialsOf } from './client-credentials.js';
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
  ) {}

  @Post('token')
  @Public({ rateLimited: true, checksPassword: true, oauthErrors: true })
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Token endpoint (RFC 6749): password, refresh_token and client_credentials (HTTP Basic or body) grants',
    description:
      'Password grant: `username` is the email for the `default` tenant, or `tenant/email` for another one (`acme/ada@example.com`), ' +
      'which is what Swagger UI’s Authorize dialog can send. The username is split at its first `/` only when no `tenant` field is sent ' +
      'and the part before the `/` is a tenant slug; otherwise it is the email as a whole. An email with a `/` in its local part is written ' +
      'with its tenant (`default/ops/team@example.com`) or sent with `tenant`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ description: '`invalid_request`, `invalid_grant`, `unsupported_grant_type`' })
  @ApiUnauthorizedResponse({ description: '`invalid_client` (client_credentials)' })
  async token(@Req() request: FastifyRequest, @Body() body: TokenRequestDto, @Origin() origin: RequestContext): Promise<TokenPairDto> {
    return TokenPairDto.of(await this.grant(request, body, origin));
  }

  private async grant(request: FastifyRequest, body: TokenRequestDto, origin: RequestContext): Promise<IssuedTokens> {
    switch (body.grant_type) {
      case 'password': {
        if (body.username === undefined || body.password === undefined) {
          throw new DomainError('invalid_request', 'The password grant needs username and password');
        }
        const account = passwordGrantAccount(body.tenant, body.username);
        const user = await this.credentials.verify(account.tenant, account.email, body.password, origin);
        return this.signIn.signIn(user, body.scope, origin);
      }
      case 'refresh_token': {
        if (body.refresh_token === undefined) throw new DomainError('invalid_request', 'The refresh_token grant needs refresh_token');
        return this.refresher.refresh(body.refresh_token, origin);
      }
      case 'client_credentials': {
        const credentials = clientCredentialsOf(request.headers.authorization, body);
        return this.clientCredentials.grant(credentials.clientId, credentials.clientSecret, body.scope, origin);
      }
      default:
        throw new DomainError('unsupported_grant_type', `Grant type "${body.grant_type}" is not supported`);
    }
  }

  @Post('revoke')
  @Public({ rateLimited: true, oauthErrors: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an access or refresh token (RFC 7009); 200 also for unknown or invalid tokens' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke (no content: an empty body)' })
  async revoke(@Body() body: TokenParameterDto, @Origin() origin: RequestContext): Promise<void> {
    await this.revocation.revoke(body.token, body.token_type_hint, origin);
  }
}
