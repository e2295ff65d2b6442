import { dictionary } from '@zxcvbn-ts/language-common';
import { emailKey } from './email.js';

/** Characters a password may have, as people count them. */
export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 128;

const comparable = (text: string): string => text.normalize('NFKC').toLowerCase();

/**
 * Passwords people actually guess (NIST SP 800-63B §5.1.1.2): the common and breached passwords
 * zxcvbn-ts collects (`@zxcvbn-ts/language-common`, about 49,000, of which the ones long enough
 * to be allowed at all matter here), compared without regard to letter case.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map(comparable).filter((password) => [...password].length >= PASSWORD_MIN_CHARS),
);

/** An unpaired UTF-16 surrogate is not text: two such passwords would hash alike. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a new password is refused, or `undefined` when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARS || length > PASSWORD_MAX_CHARS) return `must be ${PASSWORD_MIN_CHARS} to ${PASSWORD_MAX_CHARS} characters long`;
  if (UNPAIRED_SURROGATE.test(password)) return 'must be text (it holds an unpaired surrogate)';
  const candidate = comparable(password);
  if (COMMON_PASSWORDS.has(candidate)) return 'is one of the most common passwords, which attackers try first: choose another';
  if (email !== undefined) {
    const key = emailKey(email);
    const passwordKey = emailKey(password);
    if (passwordKey === key || passwordKey === key.slice(0, key.lastIndexOf('@'))) {
      return 'must not be your email address';
    }
  }
  return undefined;
}
