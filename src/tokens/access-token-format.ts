/** Leeway for clock skew between us and whoever minted or checks a token. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Header `typ` of our access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether a presented token has the three-part shape of a JWS (refresh tokens never do). */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}
