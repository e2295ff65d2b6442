import { ERROR_STATUS, type ErrorCode } from './error-code.js';

export interface DomainErrorDetails {
  /** Validation messages, answered as the `message` array. */
  messages?: string[];
  /** Scopes the caller lacks (for `insufficient_scope`). */
  requiredScopes?: string[];
  /** Seconds until the caller may try again (for `too_many_attempts`). */
  retryAfterSeconds?: number;
  /** Overrides the code's usual status (e.g. `tenant_disabled` on a token is a 401). */
  status?: number;
}

/**
 * What services throw: a contract error code and a human message. The HTTP mapping
 * (status, body, `WWW-Authenticate`) lives in one place, `HttpErrorFilter`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return this.details.status ?? ERROR_STATUS[this.code];
  }
}
