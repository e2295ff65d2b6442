import { unstorableTextIn } from './storable-text.js';

describe(unstorableTextIn.name, () => {
  it('passes ordinary text, emoji (paired surrogates) and non-strings', () => {
    expect(unstorableTextIn({ name: 'Ada Lövelace 😀', roles: ['user'], n: 1, nested: { ok: true, none: null } }, 'body')).toBeUndefined();
  });

  it.each([
    ['a NUL byte', { email: 'a\u0000@b.io' }, 'body.email'],
    ['a lone high surrogate', { name: 'a\uD800b' }, 'body.name'],
    ['a lone low surrogate at the start', { name: '\uDC00' }, 'body.name'],
    ['a bad string deep in an array', { list: [{ q: 'x\u0000' }] }, 'body.list.0.q'],
    ['a bad key', { ['k\u0000']: 1 }, 'body (a key)'],
  ])('names where it finds %s', (_name, value, path) => {
    expect(unstorableTextIn(value, 'body')).toBe(path);
  });

  it('leaves secret fields to their own rules (they are only hashed, never stored as text)', () => {
    expect(unstorableTextIn({ refresh_token: 'r\u0000', password: 'p\uD800', email: 'a@b.io' }, 'body')).toBeUndefined();
    expect(unstorableTextIn({ nested: { password: 'p\u0000' } }, 'body')).toBe('body.nested.password');
  });

  it('checks a bare string', () => {
    expect(unstorableTextIn('\u0000', 'query')).toBe('query');
  });
});
