import { fullCaseFold } from './unicode-case-folding.js';

/**
 * Controls, invisible format characters (zero-width spaces and joiners, bidi controls, BOM…) and
 * the other default-ignorable code points (variation selectors, fillers): no email holds them.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** At most this many characters, as the database counts them, for the address and for its key. */
export const MAX_EMAIL_CHARS = 320;

/**
 * The address as the person typed it, without surrounding spaces and composed (NFC): the only
 * form that is stored, shown or mailed. Nothing else is rewritten, letter case included: a
 * case-mapped or normalized rewrite may be another person's mailbox (`mxı@` is not `mxi@`).
 */
export function emailAsTyped(email: string): string {
  return email.trim().normalize('NFC');
}

const keyStep = (text: string): string => fullCaseFold(text.normalize('NFKC')).normalize('NFKC');

/**
 * The key an address is unique and looked up by, never shown nor mailed: compatibility-normalized
 * (NFKC: fullwidth `ｓ`, `ſ` and ligatures become plain letters) and fully case-folded (Unicode's
 * CaseFolding.txt, not a round trip through upper and lower case: `ß` and `ẞ` fold to `ss`, `İ`
 * to `i̇`, and the dotless `ı` stays a letter of its own), repeated until nothing changes, as
 * Unicode's NFKC_Casefold does. So text that reads the same has one key, and no two deliverable
 * addresses share one. Idempotent: a key is its own key.
 */
export function emailKey(email: string): string {
  let current = email.trim();
  for (let round = 0; round < 4; round++) {
    const next = keyStep(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Why an email cannot be an account's email, or `undefined` when it can. */
export function emailProblem(email: string): string | undefined {
  if (INVISIBLE.test(email)) return 'must not contain control or invisible formatting characters';
  const key = emailKey(email);
  if ([...emailAsTyped(email)].length > MAX_EMAIL_CHARS || [...key].length > MAX_EMAIL_CHARS) return `must be at most ${MAX_EMAIL_CHARS} characters`;
  const at = key.lastIndexOf('@');
  if (at < 1 || at === key.length - 1 || /\s/u.test(key)) return 'must be an email address';
  return undefined;
}
