import { CASE_FOLDING_UNICODE_VERSION, fullCaseFold } from './unicode-case-folding.js';

describe(fullCaseFold.name, () => {
  it.each([
    ['ASCII capitals', 'ADA', 'ada'],
    ['sharp s (a full folding)', 'ß', 'ss'],
    ['capital sharp s', 'ẞ', 'ss'],
    ['long s', 'ſ', 's'],
    ['capital I with a dot above (i and a combining dot)', 'İ', 'i\u0307'],
    ['final sigma', 'ς', 'σ'],
    ['a ligature', 'ﬃ', 'ffi'],
    ['Cherokee small letters (to their capitals, as Unicode folds them)', 'ꭰ', 'Ꭰ'],
  ])('folds %s', (_name, text, folded) => {
    expect(fullCaseFold(text)).toBe(folded);
  });

  it.each([
    ['the dotless ı', '\u0131'],
    ['letters without case', 'δοκιμή 例え'],
  ])('leaves %s as it is', (_name, text) => {
    expect(fullCaseFold(text)).toBe(text);
  });

  it('agrees with the runtime’s own case-insensitive matching wherever a character folds to one character', () => {
    const disagreements: string[] = [];
    for (let codePoint = 0; codePoint < 0x110000; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      const folded = fullCaseFold(char);
      if (folded === char || [...folded].length !== 1) continue;
      if (!new RegExp(`^\\u{${folded.codePointAt(0)!.toString(16)}}$`, 'iu').test(char)) disagreements.push(`U+${codePoint.toString(16)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('is of the Unicode version the runtime normalizes by (regenerate it, and re-key emails, when Node’s moves)', () => {
    expect(CASE_FOLDING_UNICODE_VERSION.split('.').slice(0, 2).join('.')).toBe((process.versions.unicode ?? '').split('.').slice(0, 2).join('.'));
  });
});
