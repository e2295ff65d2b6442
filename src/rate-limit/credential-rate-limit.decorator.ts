import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CredentialRateLimitGuard } from './credential-rate-limit.guard.js';

const seconds = { schema: { type: 'integer' } } as const;

/**
 * The per-client rate limit of the credential endpoints (`AUTH_RATE_LIMIT` a minute, one budget
 * for all of them, shared by every instance), with its Swagger answer.
 *
 * Guards run in the order their decorators are applied, the one nearest the method first: on a
 * route with other `@UseGuards`, place this below them, so that an over-limit client is refused
 * before any password work.
 */
export function CredentialRateLimit(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(CredentialRateLimitGuard),
    ApiTooManyRequestsResponse({
      description: '`rate_limited`: over `AUTH_RATE_LIMIT` credential requests this minute from this address',
      headers: {
        'Retry-After': { description: 'Seconds until the window resets', ...seconds },
        'RateLimit-Limit': { description: 'Requests allowed per window', ...seconds },
        'RateLimit-Remaining': { description: 'Requests left in the window', ...seconds },
        'RateLimit-Reset': { description: 'Seconds until the window resets', ...seconds },
      },
    }),
  );
}
