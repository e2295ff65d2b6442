import { FIRST_PARTY_CLIENT_ID } from '../access/principal.js';
import { Body, Controller, Get, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentPrincipal } from '../access/decorators/current-principal.decorator.js';
import { Origin } from '../common/decorators/origin.decorator.js';
import { Public } from '../access/decorators/public.decorator.js';
import type { Principal } from '../access/principal.js';
import { type RequestContext, requestContextOf } from '../common/http/request-context.js';
import { UserDto } from '../users/dto/user.dto.js';
import type { VerifiedPassword } from './credentials.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { IntrospectionDto } from './dto/introspection.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenClaimsDto } from './dto/token-claims.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { TokenParameterDto } from './dto/token-parameter.dto.js';
import { LocalAuthGuard } from './guards/local-auth.guard.js';
import { PasswordChangeService } from './password-change.service.js';
import { RegistrationService } from './registration.service.js';
import { SignInService } from './sign-in.service.js';
import { SignOutService } from './sign-out.service.js';
import { TokenIntrospectionService } from './token-introspection.service.js';
import { TokenRefreshService } from './token-refresh.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly signIn: SignInService,
    private readonly refresher: TokenRefreshService,
    private readonly signOut: SignOutService,
    private readonly passwords: PasswordChangeService,
    private readonly introspection: TokenIntrospectionService,
  ) {}

  @Public({ rateLimited: true })
  @Post('register')
  @ApiOperation({ summary: 'Create an account in a tenant that allows self-registration' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: '`validation_failed`' })
  @ApiForbiddenResponse({ description: 'The tenant does not allow self-registration (`self_signup_disabled`)' })
  @ApiConflictResponse({ description: '`email_taken`' })
  async register(@Body() body: RegisterDto, @Origin() origin: RequestContext): Promise<UserDto> {
    return UserDto.from(await this.registration.register(body, origin));
  }

  @Public({ rateLimited: true, checksPassword: true })
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @UseGuards(LocalAuthGuard)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ description: '`validation_failed`' })
  @ApiUnauthorizedResponse({ description: '`invalid_credentials`, alike for an unknown email and a wrong password' })
  @ApiForbiddenResponse({ description: '`account_disabled` or `tenant_disabled`' })
  @ApiTooManyRequestsResponse({ description: '`too_many_attempts`, with `Retry-After`' })
  async login(@Req() request: FastifyRequest & { user: VerifiedPassword }, @Body() body: LoginDto): Promise<TokenPairDto> {
    return TokenPairDto.of(await this.signIn.signIn(request.user, { scope: body.scope, clientId: FIRST_PARTY_CLIENT_ID }, requestContextOf(request)));
  }

  @Public({ rateLimited: true })
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair (the refresh token rotates)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: '`refresh_token_invalid`, or `refresh_token_reused` (the session is then revoked)' })
  async refresh(@Body() body: RefreshDto, @Origin() origin: RequestContext): Promise<TokenPairDto> {
    return TokenPairDto.of(await this.refresher.refresh(body.refresh_token, FIRST_PARTY_CLIENT_ID, origin));
  }

  @Get('whoami')
  @Auth({ scopes: [] })
  @ApiOperation({ summary: 'What the presented access token says (any valid token, user or client; no database)' })
  @ApiOkResponse({ type: TokenClaimsDto })
  whoami(@CurrentPrincipal() principal: Principal): Readonly<TokenClaimsDto> {
    return TokenClaimsDto.from(principal);
  }

  @Auth({ scopes: ['profile'] })
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the current session; its tokens stop working at once' })
  @ApiNoContentResponse()
  logout(@CurrentPrincipal() principal: Principal, @Origin() origin: RequestContext): Promise<void> {
    return this.signOut.logout(principal, origin);
  }

  @Auth({ scopes: ['profile'] })
  @Post('logout-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of the user' })
  @ApiNoContentResponse()
  logoutAll(@CurrentPrincipal() principal: Principal, @Origin() origin: RequestContext): Promise<void> {
    return this.signOut.logoutEverywhere(principal, origin);
  }

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Auth({ scopes: ['tokens:introspect'], clientCredentials: true, oauthErrors: true })
  @ApiOperation({
    summary: 'Describe a token (RFC 7662); tokens of other tenants read as inactive',
    description:
      'The caller is a bearer token holding `tokens:introspect`, or a confidential API client whose scopes hold it, authenticating by ' +
      'HTTP Basic (`client_secret_basic`) or `client_id`/`client_secret` in the body (`client_secret_post`).',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({ type: IntrospectionDto })
  introspect(@CurrentPrincipal() principal: Principal, @Body() body: TokenParameterDto): Promise<IntrospectionDto> {
    return this.introspection.introspect(body.token, body.token_type_hint, principal);
  }

  @Auth({ scopes: ['profile'], checksPassword: true })
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; every other session of the user ends' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: '`validation_failed` (the new password must be 8 to 128 characters)' })
  @ApiForbiddenResponse({ description: 'The current password is wrong (`invalid_credentials`)' })
  changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Origin() origin: RequestContext): Promise<void> {
    return this.passwords.change(principal, body.currentPassword, body.newPassword, origin);
  }
}
