import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fullCaseFold } from '../../common/accounts/unicode-case-folding.js';

/** The email key as this migration defines it (a frozen copy: later changes to the service's must not change history). */
function emailKey(email: string): string {
  const step = (text: string): string => fullCaseFold(text.normalize('NFKC')).normalize('NFKC');
  let current = email.trim();
  for (let round = 0; round < 4; round++) {
    const next = step(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The form sign-ins looked emails up by until now (CanonicalEmails1795394000000's, frozen). */
function signInFormBefore(email: string): string {
  const step = (text: string): string => text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
  let current = email.trim();
  for (let round = 0; round < 4; round++) {
    const next = step(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

interface Row {
  id: string;
  tenant_id: string;
  email: string;
}

/**
 * Emails were stored in a case-mapped canonical form, which turned `ı` into `i`: another
 * person's mailbox. From now on the email is stored as typed, and uniqueness and look-up go by a
 * separate key (`users.email_key`: NFKC and Unicode full case folding). Existing emails stay as
 * they are and get their key. Where accounts of a tenant share a key (only those that
 * CanonicalEmails1795394000000 left clashing), the one that sign-ins reached until now keeps it
 * (or else the oldest); the others get none, cannot be signed in to by email, and are reported
 * for an operator to resolve.
 */
export class EmailKeys1795396000000 implements MigrationInterface {
  name = 'EmailKeys1795396000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN email_key text');
    const rows = (await queryRunner.query('SELECT id, tenant_id, email FROM users ORDER BY created_at, id')) as Row[];
    const byKey = new Map<string, Row[]>();
    for (const row of rows) {
      const key = `${row.tenant_id} ${emailKey(row.email)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const ids: string[] = [];
    const keys: string[] = [];
    for (const accounts of byKey.values()) {
      const holder = accounts.find((account) => account.email === signInFormBefore(account.email)) ?? accounts[0];
      ids.push(holder.id);
      keys.push(emailKey(holder.email));
      if (accounts.length > 1) {
        const others = accounts.filter((account) => account !== holder).map((account) => account.id);
        process.stderr.write(`Migration EmailKeys: accounts ${others.join(', ')} share their email's key with account ${holder.id}, which keeps it; they cannot be signed in to by email until resolved\n`);
      }
    }
    await queryRunner.query('UPDATE users SET email_key = given.key FROM unnest($1::uuid[], $2::text[]) AS given (id, key) WHERE users.id = given.id', [ids, keys]);
    await queryRunner.query('ALTER TABLE users DROP CONSTRAINT users_tenant_email_unique');
    await queryRunner.query('ALTER TABLE users ADD CONSTRAINT users_tenant_email_key_unique UNIQUE (tenant_id, email_key)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users DROP CONSTRAINT users_tenant_email_key_unique');
    await queryRunner.query('ALTER TABLE users DROP COLUMN email_key');
    await queryRunner.query('ALTER TABLE users ADD CONSTRAINT users_tenant_email_unique UNIQUE (tenant_id, email)');
  }
}
