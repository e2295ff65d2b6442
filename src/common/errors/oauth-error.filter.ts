import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { databaseUnavailableError } from './database-unavailable.js';
import { DomainError } from './domain.error.js';
import { oauthErrorOf } from './error-code.js';
import { AUTH_REALM, HttpErrorFilter } from './http-error.filter.js';

/**
 * The OAuth endpoints answer errors in RFC 6749 §5.2 form, read from `ERRORS`: 400, or 401 for
 * `invalid_client`; a locked account, a rate limit and an outage keep their 429 and 503 and
 * `Retry-After`. An error with no OAuth form falls back to the global filter.
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly fallback = new HttpErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    // A database outage reaches here as the driver's error; it is answered like the domain's 503.
    const domain = exception instanceof DomainError ? exception : databaseUnavailableError(exception);
    const error = domain && oauthErrorOf(domain.code);
    if (!domain || !error) return this.fallback.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = error === 'invalid_client' ? 401 : domain.status === 429 || domain.status === 503 ? domain.status : 400;
    if (status === 401) void reply.header('WWW-Authenticate', `Basic realm="${AUTH_REALM}"`);
    if (domain.details.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(domain.details.retryAfterSeconds))));
    }
    const description = domain.code === 'validation_failed' || domain.code === 'bad_request' ? (domain.details.messages ?? [domain.message]).join('; ') : domain.message;
    void reply.status(status).header('Cache-Control', 'no-store').send({ error, error_description: description });
  }
}
