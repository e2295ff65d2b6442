import type { FastifyInstance } from 'fastify';

/**
 * Every answer is `Cache-Control: no-store` unless its route says otherwise (the JWKS and the
 * discovery document are public and cacheable): tokens, secrets and personal data must never
 * sit in a shared cache, and a route forgetting its header must not be the way one does.
 */
export function forbidCachingByDefault(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
