import type { DomainError } from '../common/errors/domain.error.js';
import { presentedClientOf } from './presented-client.js';

describe(presentedClientOf.name, () => {
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
    expect(presentedClientOf(basic('my%20client', 's%3Acret+x'), {})).toEqual({ clientId: 'my client', clientSecret: 's:cret x', viaBasic: true });
  });

  it('takes HTTP Basic with the same id repeated in the body', () => {
    expect(presentedClientOf(basic('a', 'b'), { client_id: 'a' })).toEqual({ clientId: 'a', clientSecret: 'b', viaBasic: true });
  });

  it('keeps colons after the first in the secret', () => {
    expect(presentedClientOf(basic('id', 'a:b'), {})?.clientSecret).toBe('a:b');
  });

  it('reads the body, with or without a secret', () => {
    expect(presentedClientOf(undefined, { client_id: 'id', client_secret: 'secret' })).toEqual({ clientId: 'id', clientSecret: 'secret', viaBasic: false });
    expect(presentedClientOf(undefined, { client_id: 'id' })).toEqual({ clientId: 'id', viaBasic: false });
  });

  it('answers nothing when no client is named, empty parameters and Swagger UI’s empty Basic included', () => {
    expect(presentedClientOf(undefined, {})).toBeUndefined();
    expect(presentedClientOf(undefined, { client_id: '', client_secret: '' })).toBeUndefined();
    expect(presentedClientOf(basic('', ''), {})).toBeUndefined();
    expect(presentedClientOf(undefined, undefined)).toBeUndefined();
  });

  it('refuses both at once, a secret without an id, and malformed Basic', () => {
    expect(errorOf(() => presentedClientOf(basic('a', 'b'), { client_id: 'other' }))).toBe('invalid_request');
    expect(errorOf(() => presentedClientOf(basic('a', 'b'), { client_secret: 'b' }))).toBe('invalid_request');
    expect(errorOf(() => presentedClientOf(undefined, { client_secret: 'a' }))).toBe('invalid_request');
    expect(errorOf(() => presentedClientOf(`Basic ${Buffer.from('no-colon').toString('base64')}`, {}))).toBe('invalid_client');
    expect(errorOf(() => presentedClientOf(basic('%zz', 'x'), {}))).toBe('invalid_client');
  });

  it('ignores a bearer token in the header', () => {
    expect(presentedClientOf('Bearer abc', { client_id: 'id', client_secret: 's' })?.viaBasic).toBe(false);
    expect(presentedClientOf('Bearer abc', {})).toBeUndefined();
  });
});
