/** Emails are compared and stored trimmed, NFC-normalized and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
