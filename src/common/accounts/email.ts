/** Controls and invisible format characters (zero-width spaces and joiners, bidi controls, BOM…): no email holds them. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** At most this many characters, as the database counts them. */
export const MAX_EMAIL_CHARS = 320;

const step = (text: string): string => text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');

/**
 * The one canonical form of an email, used to store, look up and count it everywhere:
 * compatibility-normalized (fullwidth `ｓ`, `ſ`, ligatures become plain letters), case-folded
 * (`ß` and `ẞ` fold to `ss`, as Unicode's full case folding does), then composed (NFC) for
 * storage, so that text that reads the same is one account. Applied until nothing changes,
 * which makes it idempotent: a stored email is its own canonical form.
 */
export function normalizeEmail(email: string): string {
  let current = email.trim();
  for (let round = 0; round < 4; round++) {
    const next = step(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Why an email cannot be an account's email, or `undefined` when it can. */
export function emailProblem(email: string): string | undefined {
  if (INVISIBLE.test(email)) return 'must not contain control or invisible formatting characters';
  const canonical = normalizeEmail(email);
  if ([...canonical].length > MAX_EMAIL_CHARS) return `must be at most ${MAX_EMAIL_CHARS} characters`;
  const at = canonical.lastIndexOf('@');
  if (at < 1 || at === canonical.length - 1 || /\s/u.test(canonical)) return 'must be an email address';
  return undefined;
}
