import type { IssuedAccessToken } from './access-token-issuer.service.js';

/**
 * What a sign-in, a refresh or a client grant hands out, before anyone chose its form: the
 * controllers answer it as a JSON token pair or an RFC 6749 body (soon also as a cookie).
 */
export interface IssuedTokens {
  access: IssuedAccessToken;
  /** Absent for a client's own tokens (`client_credentials`). */
  refreshToken?: string;
}
