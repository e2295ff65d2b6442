import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The canonical form as this migration defines it (a frozen copy: later changes to the service's must not change history). */
function canonical(email: string): string {
  const step = (text: string): string => text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
  let current = email.trim();
  for (let round = 0; round < 4; round++) {
    const next = step(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Emails were stored NFC-then-lower-cased, so one address could be stored twice (composed and
 * decomposed, `ſ`, fullwidth letters) or non-NFC. Rewrites each to the one canonical form; where
 * two accounts of a tenant meet in one form, neither is touched (merging accounts is a person's
 * decision) and the clash is reported, so that an operator can resolve it.
 */
export class CanonicalEmails1795394000000 implements MigrationInterface {
  name = 'CanonicalEmails1795394000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query('SELECT id, tenant_id, email FROM users')) as Array<{ id: string; tenant_id: string; email: string }>;
    const byForm = new Map<string, Array<{ id: string; email: string }>>();
    for (const row of rows) {
      const key = `${row.tenant_id} ${canonical(row.email)}`;
      byForm.set(key, [...(byForm.get(key) ?? []), row]);
    }
    await queryRunner.query('ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_lower_case');
    for (const [key, accounts] of byForm) {
      const form = key.slice(key.indexOf(' ') + 1);
      if (accounts.length > 1) {
        process.stderr.write(`Migration CanonicalEmails: accounts ${accounts.map((account) => account.id).join(', ')} share the email ${JSON.stringify(form)} once normalized; left unchanged\n`);
        continue;
      }
      if (accounts[0].email !== form) await queryRunner.query('UPDATE users SET email = $1 WHERE id = $2', [form, accounts[0].id]);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: the canonical form is a valid stored email under the old rules too.
  }
}
