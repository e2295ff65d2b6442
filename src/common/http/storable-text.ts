import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain.error.js';

/** A NUL (PostgreSQL text cannot hold it) or a lone UTF-16 surrogate (not text at all: jsonb refuses it, UTF-8 cannot carry it). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Fields that carry a secret: only ever hashed or compared, never stored or queried as text,
 * and answered by their own rules (any string that is not a live refresh token is
 * `refresh_token_invalid`, a wrong password is `invalid_credentials`).
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'currentPassword', 'newPassword', 'refresh_token', 'token', 'client_secret']);

/** The path of the first string (or key) in `value` that no database column could store as given, if any; secret fields aside. */
export function unstorableTextIn(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) return path;
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (UNSTORABLE.test(key)) return `${path} (a key)`;
        if (path === root && SECRET_FIELDS.has(key)) continue;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses, with 400 `validation_failed`, any body, query or path parameter carrying text that
 * cannot be stored as given, before a guard or a service sees it: one check at the edge rather
 * than one per field (a NUL would otherwise reach PostgreSQL and come back as a 500).
 */
export function refuseUnstorableText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const where = unstorableTextIn(request.params, 'path') ?? unstorableTextIn(request.query, 'query') ?? unstorableTextIn(request.body, 'body');
    if (where === undefined) return done();
    done(new DomainError('validation_failed', 'Validation failed', { messages: [`${where} must not contain NUL characters or unpaired surrogates`] }));
  });
}
