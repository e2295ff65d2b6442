import type { DomainError } from '../common/errors/domain.error.js';
import { clientCredentialsOf } from './client-credentials.js';

describe(clientCredentialsOf.name, () => {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const errorOf = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      return (error as DomainError).code;
    }
    return undefined;
  };

  it('reads HTTP Basic, form-decoding id and secret', () => {
    expect(clientCredentialsOf(basic('my%20client', 's%3Acret+x'), {})).toEqual({ clientId: 'my client', clientSecret: 's:cret x', viaBasic: true });
  });

  it('keeps colons after the first in the secret', () => {
    expect(clientCredentialsOf(basic('id', 'a:b'), {}).clientSecret).toBe('a:b');
  });

  it('reads the body', () => {
    expect(clientCredentialsOf(undefined, { client_id: 'id', client_secret: 'secret' })).toEqual({ clientId: 'id', clientSecret: 'secret', viaBasic: false });
  });

  it('refuses both at once, neither, half a body, and malformed Basic', () => {
    expect(errorOf(() => clientCredentialsOf(basic('a', 'b'), { client_id: 'a' }))).toBe('invalid_request');
    expect(errorOf(() => clientCredentialsOf(undefined, {}))).toBe('invalid_client');
    expect(errorOf(() => clientCredentialsOf(undefined, { client_id: 'a' }))).toBe('invalid_client');
    expect(errorOf(() => clientCredentialsOf(`Basic ${Buffer.from('no-colon').toString('base64')}`, {}))).toBe('invalid_client');
    expect(errorOf(() => clientCredentialsOf(basic('%zz', 'x'), {}))).toBe('invalid_client');
  });

  it('ignores a bearer token in the header', () => {
    expect(clientCredentialsOf('Bearer abc', { client_id: 'id', client_secret: 's' }).viaBasic).toBe(false);
  });
});
