import { type ErrorCode, statusOfCode } from './error-code.js';

export interface DomainErrorDetails {
  /** Validation messages, answered as the `message` array. */
  messages?: string[];
  /** Scopes the caller lacks (for `insufficient_scope`). */
  requiredScopes?: string[];
  /** Seconds until the caller may try again (for `too_many_attempts`). */
  retryAfterSeconds?: number;
}

/**
 * What services throw: an error code (`ERRORS`) and a human message. The HTTP mapping
 * (status, body, `WWW-Authenticate`, the RFC 6749 form) is read from `ERRORS` by the filters.
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
    return statusOfCode(this.code);
  }
}
