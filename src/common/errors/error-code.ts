/** The contract's stable error codes, each with the HTTP status it is answered with. */
export const ERROR_STATUS = {
  token_missing: 401,
  token_invalid: 401,
  token_expired: 401,
  token_revoked: 401,
  invalid_credentials: 401,
  account_disabled: 403,
  too_many_attempts: 429,
  rate_limited: 429,
  email_taken: 409,
  refresh_token_invalid: 401,
  refresh_token_reused: 401,
  insufficient_scope: 403,
  insufficient_role: 403,
  tenant_mismatch: 403,
  tenant_disabled: 403,
  self_signup_disabled: 403,
  not_found: 404,
  conflict: 409,
  method_not_allowed: 405,
  validation_failed: 400,
  invalid_scope: 400,
  bad_request: 400,
  payload_too_large: 413,
  uri_too_long: 414,
  request_timeout: 408,
  headers_too_large: 431,
  unsupported_media_type: 415,
  service_unavailable: 503,
  internal_error: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes that mean "the bearer token presented cannot be used" (RFC 6750 `invalid_token`). */
export const INVALID_TOKEN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'token_invalid',
  'token_expired',
  'token_revoked',
]);
