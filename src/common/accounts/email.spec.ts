import { emailAsTyped, emailKey, emailProblem } from './email.js';

describe(emailAsTyped.name, () => {
  it('drops the surrounding spaces and composes (NFC), and rewrites nothing else', () => {
    expect(emailAsTyped('  Ada@Example.COM ')).toBe('Ada@Example.COM');
    expect(emailAsTyped('Jose\u0301@x.io')).toBe('Jos\u00E9@x.io');
    for (const typed of ['mx\u0131@example.com', 'STRAẞE@x.io', 'Straße@x.io', '\uFF53am@x.io', '\u017Fam@x.io', '\u0130pek@x.io']) {
      expect(emailAsTyped(typed)).toBe(typed);
    }
  });
});

describe(emailKey.name, () => {
  it.each([
    ['composed and decomposed ǰ', 'ǰohn@x.io', 'J\u030Cohn@x.io'],
    ['long s, fullwidth s and s', 'ſam@x.io', 'ｓam@x.io'],
    ['fullwidth letters and ASCII', 'ＡＬＩＣＥ@x.io', 'alice@x.io'],
    ['sharp s, capital sharp s, SS and ss', 'Straße@x.io', 'STRAẞE@x.io', 'STRASSE@x.io', 'strasse@x.io'],
    ['letter case and surrounding spaces', '  Ada@Example.COM ', 'ada@example.com'],
    ['a ligature and its letters', 'ﬁnn@x.io', 'finn@x.io'],
    ['capital I with a dot above and i with a combining dot', '\u0130pek@x.io', 'i\u0307pek@x.io'],
    ['final and medial sigma', 'οδοσ@x.io', 'ΟΔΟΣ@x.io', 'οδος@x.io'],
  ])('gives one key to %s', (_name, ...spellings) => {
    expect(new Set(spellings.map(emailKey)).size).toBe(1);
  });

  it.each([
    ['dotless ı and i', 'mx\u0131@example.com', 'mxi@example.com'],
    ['dotless ı and capital I', 'mx\u0131@example.com', 'MXI@example.com'],
    ['capital İ and plain i', '\u0130pek@x.io', 'ipek@x.io'],
    ['two different letters', 'ada@x.io', 'ida@x.io'],
  ])('keeps %s apart: two mailboxes, two keys', (_name, one, other) => {
    expect(emailKey(one)).not.toBe(emailKey(other));
  });

  it('leaves the dotless ı as it is, and folds İ fully (i and a combining dot)', () => {
    expect(emailKey('MX\u0131@Example.com')).toBe('mx\u0131@example.com');
    expect(emailKey('\u0130@x.io')).toBe('i\u0307@x.io');
  });

  it('is its own key (idempotent) and composed, for every code point', () => {
    for (let codePoint = 0; codePoint < 0x110000; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const key = emailKey(`a${String.fromCodePoint(codePoint)}b@x.io`);
      if (emailKey(key) !== key || key.normalize('NFC') !== key) throw new Error(`U+${codePoint.toString(16)}`);
    }
  });
});

describe(emailProblem.name, () => {
  it('accepts ordinary and international addresses', () => {
    expect(emailProblem('ada@example.com')).toBeUndefined();
    expect(emailProblem('δοκιμή@παράδειγμα.δοκιμή')).toBeUndefined();
    expect(emailProblem('mx\u0131@example.com')).toBeUndefined();
  });

  it.each([
    ['a zero-width space', 'ad\u200Ba@x.io'],
    ['a right-to-left override', 'ad\u202Ea@x.io'],
    ['a control character', 'ad\u0007a@x.io'],
    ['a variation selector', 'ad\uFE0Fa@x.io'],
    ['a combining grapheme joiner', 'ad\u034Fa@x.io'],
    ['a Hangul filler', 'ad\u3164a@x.io'],
    ['no @', 'ada.example.com'],
    ['nothing after @', 'ada@'],
    ['a space inside', 'a da@x.io'],
    ['321 characters as typed', `${'a'.repeat(316)}@x.io`],
    ['321 characters once folded', `${'ß'.repeat(160)}@x.io`],
  ])('refuses %s', (_name, email) => {
    expect(emailProblem(email)).toEqual(expect.any(String));
  });
});
