import { Body, Controller, Header, HttpCode, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/decorators/public.decorator.js';
import { OAuthErrorFilter } from '../common/errors/oauth-error.filter.js';
import { OAuthError } from '../common/errors/oauth.error.js';
import { requestContextOf } from '../common/http/request-context.js';
import { UserDto } from '../users/dto/user.dto.js';
import type { User } from '../users/user.entity.js';
import { CredentialsService } from './credentials.service.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { TokenRequestDto } from './dto/token-request.dto.js';
import { LocalAuthGuard } from './guards/local-auth.guard.js';
import { RegistrationService } from './registration.service.js';
import { SignInService } from './sign-in.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly credentials: CredentialsService,
    private readonly signIn: SignInService,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account in a tenant that allows self-registration' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: '`validation_failed`' })
  @ApiForbiddenResponse({ description: 'The tenant does not allow self-registration (`self_signup_disabled`)' })
  @ApiConflictResponse({ description: '`email_taken`' })
  async register(@Body() body: RegisterDto): Promise<UserDto> {
    return UserDto.from(await this.registration.register(body));
  }

  @Public()
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
  login(@Req() request: FastifyRequest & { user: User }, @Body() body: LoginDto): Promise<TokenPairDto> {
    return this.signIn.signIn(request.user, body.scope, requestContextOf(request));
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @UseFilters(OAuthErrorFilter)
  @ApiOperation({ summary: 'OAuth 2.0 token endpoint (RFC 6749); errors in RFC 6749 §5.2 form' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ description: '`invalid_request`, `invalid_grant`, `unsupported_grant_type`' })
  async token(@Req() request: FastifyRequest, @Body() body: TokenRequestDto): Promise<TokenPairDto> {
    switch (body.grant_type) {
      case 'password': {
        if (body.username === undefined || body.password === undefined) {
          throw new OAuthError('invalid_request', 'The password grant needs username and password');
        }
        const user = await this.credentials.verify(body.tenant, body.username, body.password);
        return this.signIn.signIn(user, body.scope, requestContextOf(request));
      }
      default:
        throw new OAuthError('unsupported_grant_type', `Grant type "${body.grant_type}" is not supported`);
    }
  }
}
