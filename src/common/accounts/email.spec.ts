import { emailProblem, normalizeEmail } from './email.js';

describe(normalizeEmail.name, () => {
  it.each([
    ['composed and decomposed ǰ', 'ǰohn@x.io', 'J\u030Cohn@x.io'],
    ['long s, fullwidth s and s', 'ſam@x.io', 'ｓam@x.io'],
    ['capital sharp s and ss', 'STRAẞE@x.io', 'strasse@x.io'],
    ['letter case and surrounding spaces', '  Ada@Example.COM ', 'ada@example.com'],
    ['a ligature and its letters', 'ﬁnn@x.io', 'finn@x.io'],
  ])('gives one form to %s', (_name, one, other) => {
    expect(normalizeEmail(one)).toBe(normalizeEmail(other));
  });

  it('stores NFC and is its own canonical form (idempotent), for every character of the basic planes', () => {
    for (let codePoint = 0; codePoint < 0x30000; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const canonical = normalizeEmail(`a${String.fromCodePoint(codePoint)}b@x.io`);
      if (normalizeEmail(canonical) !== canonical || canonical.normalize('NFC') !== canonical) throw new Error(`U+${codePoint.toString(16)}`);
    }
  });
});

describe(emailProblem.name, () => {
  it('accepts ordinary and international addresses', () => {
    expect(emailProblem('ada@example.com')).toBeUndefined();
    expect(emailProblem('δοκιμή@παράδειγμα.δοκιμή')).toBeUndefined();
  });

  it.each([
    ['a zero-width space', 'ad\u200Ba@x.io'],
    ['a right-to-left override', 'ad\u202Ea@x.io'],
    ['a control character', 'ad\u0007a@x.io'],
    ['no @', 'ada.example.com'],
    ['nothing after @', 'ada@'],
    ['a space inside', 'a da@x.io'],
    ['321 characters once folded', `${'ß'.repeat(160)}@x.io`],
  ])('refuses %s', (_name, email) => {
    expect(emailProblem(email)).toEqual(expect.any(String));
  });
});
