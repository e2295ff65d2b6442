import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';
import { bearerTokenOf } from './bearer-token.js';

const withAuthorization = (authorization: string | undefined): FastifyRequest => ({ headers: { authorization } }) as unknown as FastifyRequest;

describe(bearerTokenOf.name, () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
  ])('reads the token of %j', (header, token) => {
    expect(bearerTokenOf(withAuthorization(header))).toBe(token);
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearerabc', 'Bearer\tabc', 'Token abc'])('finds no bearer token in %j', (header) => {
    expect(bearerTokenOf(withAuthorization(header))).toBeUndefined();
  });

  it.each(['Bearer', 'Bearer   ', 'Bearer abc def', 'Bearer abc  def'])('refuses the malformed %j', (header) => {
    expect(() => bearerTokenOf(withAuthorization(header))).toThrow(DomainError);
  });
});
