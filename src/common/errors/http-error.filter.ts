import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { databaseFailureReason, databaseUnavailableError } from './database-unavailable.js';
import { DomainError } from './domain.error.js';
import { answeredCode, type ErrorCode, INVALID_TOKEN_CODES } from './error-code.js';

export const AUTH_REALM = 'portcullis';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code: string;
}

/** The codes of the framework's own refusals (Fastify's and Nest's), by status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** What is answered: a service's `DomainError`, or a refusal of the framework's at its own status. */
interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
  details: DomainError['details'];
}

const DATABASE_FAILURE_LOG_INTERVAL_MS = 5_000;

/** Quoted-string safe text for a `WWW-Authenticate` parameter. */
function headerParam(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, '');
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

/**
 * The one place where errors become HTTP: the contract's body shape and code, and the
 * RFC 6750 `WWW-Authenticate` challenge on authentication and scope failures.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private static lastDatabaseFailureLoggedAt = 0;
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.refusalOf(exception);
    const status = error.status;
    const body: ErrorBody = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message: error.details.messages ?? error.message,
      code: answeredCode(error.code),
    };
    const challenge = this.challengeFor(error);
    if (challenge) void reply.header('WWW-Authenticate', challenge);
    if (error.details.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(error.details.retryAfterSeconds))));
    }
    void reply.status(status).send(body);
  }

  private refusalOf(exception: unknown): Refusal {
    if (exception instanceof DomainError) return exception;
    const unavailable = databaseUnavailableError(exception);
    if (unavailable) {
      this.logDatabaseFailure(exception);
      return unavailable;
    }
    const status = statusOf(exception);
    if (status === undefined || status >= 500) {
      if (status === 503) return new DomainError('service_unavailable', 'The service is temporarily unavailable', { retryAfterSeconds: 5 });
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
      return new DomainError('internal_error', 'Internal server error');
    }
    return { status, code: CODE_BY_STATUS[status] ?? 'bad_request', message: this.publicMessage(exception, status), details: {} };
  }

  /** One line per outage burst, not one per request: during an outage every request fails alike. */
  private logDatabaseFailure(exception: unknown): void {
    const now = Date.now();
    if (now - HttpErrorFilter.lastDatabaseFailureLoggedAt < DATABASE_FAILURE_LOG_INTERVAL_MS) return;
    HttpErrorFilter.lastDatabaseFailureLoggedAt = now;
    this.logger.warn(`Answering 503: the database is unavailable (${databaseFailureReason(exception)})`);
  }

  /** A message safe to show: Nest's own messages, or the reason phrase for anything else. */
  private publicMessage(exception: unknown, status: number): string {
    if (status === 413) return 'Request body is larger than 64 KiB';
    if (exception instanceof HttpException) return exception.message;
    const code = (exception as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('FST_') && exception instanceof Error) return exception.message;
    if (exception instanceof SyntaxError) return 'Malformed JSON body';
    return STATUS_CODES[status] ?? 'Bad request';
  }

  private challengeFor(error: Refusal): string | undefined {
    if (error.code === 'token_missing') return `Bearer realm="${AUTH_REALM}"`;
    if (error.code === 'invalid_client') return `Basic realm="${AUTH_REALM}"`;
    if (INVALID_TOKEN_CODES.has(error.code)) {
      return `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${headerParam(error.message)}"`;
    }
    if (error.code === 'insufficient_scope') {
      const scope = headerParam((error.details.requiredScopes ?? []).join(' '));
      return `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="${scope}"`;
    }
    return undefined;
  }
}
