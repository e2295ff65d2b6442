import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Our policy: Swagger UI at /docs is the only page served, and it styles itself inline and shows its logo as a data: image. */
const POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
      // Swagger UI is served over plain HTTP in development; upgrading would break its requests.
      upgradeInsecureRequests: null,
    },
  },
};

/** The headers helmet sets for `options`, computed once by running it against a stand-in response. */
export function helmetHeaders(options: HelmetOptions = POLICY): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * What an answer that is not a page needs (OWASP's REST Security Cheat Sheet): nothing may be
 * loaded or framed on its account, no MIME sniffing, HTTPS only, no referrer. Helmet's other
 * headers (DNS prefetch, cross-origin isolation, download options...) concern pages; on every
 * JSON answer they cost time (about a tenth of a cached `GET /auth/whoami`) and protect nothing.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** The only pages served: Swagger UI and its assets. */
const isPage = (url: string): boolean => url === '/docs' || url.startsWith('/docs/');

/**
 * Security headers on every answer, computed once at start-up rather than by helmet's middleware
 * on each request (which re-reads its CSP directives every time): helmet's full set on Swagger
 * UI's pages, the API set on everything else.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  const pageHeaders = helmetHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(isPage(request.url) ? pageHeaders : API_SECURITY_HEADERS);
    done();
  });
}
