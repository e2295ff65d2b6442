import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const BEARER_SECURITY = 'bearer';
export const OAUTH2_SECURITY = 'oauth2';

/**
 * Documents a route as needing an access token (it needs one anyway: `JwtAuthGuard` is global).
 * Swagger UI's Authorize button then offers both a pasted bearer token and the password flow.
 */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(BEARER_SECURITY),
    ApiOAuth2([], OAUTH2_SECURITY),
    ApiUnauthorizedResponse({ description: 'No token (`token_missing`) or an unusable one (`token_invalid`, `token_expired`, `token_revoked`)' }),
  );
