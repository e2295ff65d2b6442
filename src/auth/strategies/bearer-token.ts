import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';

/** The bearer token of a request: `undefined` when there is none, an error when it is malformed. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const [scheme, token, ...rest] = header.trim().split(/ +/);
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  if (!token || rest.length > 0) throw new DomainError('token_invalid', 'Malformed Authorization header');
  return token;
}
