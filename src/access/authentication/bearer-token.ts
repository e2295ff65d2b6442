import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';

/** The bearer token of a request: `undefined` when there is none, an error when it is malformed. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  // By hand rather than split(/ +/): this runs on every request, and the usual header is exactly "Bearer <token>".
  const value = header.trim();
  const gap = value.indexOf(' ');
  const scheme = gap === -1 ? value : value.slice(0, gap);
  if (scheme.length !== 6 || scheme.toLowerCase() !== 'bearer') return undefined;
  let start = gap + 1;
  while (gap !== -1 && value.charCodeAt(start) === 0x20) start++;
  const token = gap === -1 ? '' : value.slice(start);
  if (token === '' || token.includes(' ')) throw new DomainError('token_invalid', 'Malformed Authorization header');
  return token;
}
