import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { databaseUnavailableError } from './database-unavailable.js';
import { DomainError } from './domain.error.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { OAuthError } from './oauth.error.js';

/**
 * The token endpoint answers errors in RFC 6749 §5.2 form. Domain errors the grants share
 * with the JSON endpoints are translated; anything else falls back to the global filter.
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly fallback = new HttpErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    // A database outage reaches here as the driver's error; it is answered like the domain's 503.
    const domain = exception instanceof DomainError ? exception : databaseUnavailableError(exception);
    const oauthError = exception instanceof OAuthError ? exception : domain ? this.toOAuthError(domain) : undefined;
    if (!oauthError) return this.fallback.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (oauthError.error === 'invalid_client' && oauthError.status === 401) {
      void reply.header('WWW-Authenticate', 'Basic realm="portcullis"');
    }
    if (domain?.details.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(domain.details.retryAfterSeconds))));
    }
    void reply
      .status(oauthError.status)
      .header('Cache-Control', 'no-store')
      .send({ error: oauthError.error, error_description: oauthError.description });
  }

  private toOAuthError(exception: DomainError): OAuthError | undefined {
    switch (exception.code) {
      case 'validation_failed':
      case 'bad_request':
        return new OAuthError('invalid_request', (exception.details.messages ?? [exception.message]).join('; '));
      case 'invalid_credentials':
      case 'account_disabled':
      case 'tenant_disabled':
      case 'refresh_token_invalid':
      case 'refresh_token_reused':
        return new OAuthError('invalid_grant', exception.message);
      case 'service_unavailable':
        return new OAuthError('temporarily_unavailable', exception.message, 503);
      case 'invalid_scope':
        return new OAuthError('invalid_scope', exception.message);
      case 'too_many_attempts':
        return new OAuthError('invalid_grant', exception.message, 429);
      case 'rate_limited':
        return new OAuthError('rate_limited', exception.message, 429);
      default:
        return undefined;
    }
  }
}
