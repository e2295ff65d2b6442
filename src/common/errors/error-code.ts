/** RFC 6749 §5.2 error codes the OAuth endpoints answer with, and the contract's `rate_limited` (429). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable'
  | 'rate_limited';

interface ErrorMeaning {
  status: number;
  /** The body's `code` when it is not the variant's own name: one contract code answered with two statuses. */
  answersAs?: string;
  /** Its RFC 6749 §5.2 `error` on the OAuth endpoints; a code without one is answered there in the contract's form. */
  oauth?: OAuthErrorCode;
  /** Thrown only where errors are answered in RFC 6749 form, so not a code of the contract's error body. */
  oauthOnly?: true;
}

/**
 * Every error a service may throw, and how it is answered: the one table `HttpErrorFilter` and
 * `OAuthErrorFilter` read. A contract code answered with two statuses has a variant for each.
 */
export const ERRORS = {
  token_missing: { status: 401 },
  token_invalid: { status: 401 },
  token_expired: { status: 401 },
  token_revoked: { status: 401 },
  invalid_credentials: { status: 401, oauth: 'invalid_grant' },
  /** The current password given to change it is wrong: the caller is signed in, so not a 401. */
  current_password_invalid: { status: 403, answersAs: 'invalid_credentials' },
  account_disabled: { status: 403, oauth: 'invalid_grant' },
  too_many_attempts: { status: 429, oauth: 'invalid_grant' },
  rate_limited: { status: 429, oauth: 'rate_limited' },
  email_taken: { status: 409 },
  refresh_token_invalid: { status: 401, oauth: 'invalid_grant' },
  refresh_token_reused: { status: 401, oauth: 'invalid_grant' },
  insufficient_scope: { status: 403 },
  insufficient_role: { status: 403 },
  tenant_mismatch: { status: 403 },
  tenant_disabled: { status: 403, oauth: 'invalid_grant' },
  /** A token of a disabled tenant: the token is unusable (RFC 6750 `invalid_token`). */
  token_tenant_disabled: { status: 401, answersAs: 'tenant_disabled' },
  self_signup_disabled: { status: 403 },
  not_found: { status: 404 },
  conflict: { status: 409 },
  method_not_allowed: { status: 405 },
  validation_failed: { status: 400, oauth: 'invalid_request' },
  invalid_scope: { status: 400, oauth: 'invalid_scope' },
  bad_request: { status: 400, oauth: 'invalid_request' },
  invalid_request: { status: 400, oauth: 'invalid_request', oauthOnly: true },
  invalid_client: { status: 401, oauth: 'invalid_client', oauthOnly: true },
  invalid_grant: { status: 400, oauth: 'invalid_grant', oauthOnly: true },
  unauthorized_client: { status: 400, oauth: 'unauthorized_client', oauthOnly: true },
  unsupported_grant_type: { status: 400, oauth: 'unsupported_grant_type', oauthOnly: true },
  payload_too_large: { status: 413 },
  uri_too_long: { status: 414 },
  request_timeout: { status: 408 },
  headers_too_large: { status: 431 },
  unsupported_media_type: { status: 415 },
  service_unavailable: { status: 503, oauth: 'temporarily_unavailable' },
  internal_error: { status: 500 },
} as const satisfies Record<string, ErrorMeaning>;

export type ErrorCode = keyof typeof ERRORS;

export const statusOfCode = (code: ErrorCode): number => ERRORS[code].status;

/** The `code` of the body that answers `code`. */
export function answeredCode(code: ErrorCode): string {
  const meaning: ErrorMeaning = ERRORS[code];
  return meaning.answersAs ?? code;
}

export const oauthErrorOf = (code: ErrorCode): OAuthErrorCode | undefined => (ERRORS[code] as ErrorMeaning).oauth;

/** The codes a body may carry, each with its status (a code answered with two statuses is listed under both). */
export const ANSWERED_CODES: ReadonlyArray<{ code: string; status: number }> = (Object.keys(ERRORS) as ErrorCode[])
  .filter((code) => (ERRORS[code] as ErrorMeaning).oauthOnly !== true)
  .map((code) => ({ code: answeredCode(code), status: statusOfCode(code) }));

/** Codes that mean "the bearer token presented cannot be used" (RFC 6750 `invalid_token`). */
export const INVALID_TOKEN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['token_invalid', 'token_expired', 'token_revoked', 'token_tenant_disabled']);
