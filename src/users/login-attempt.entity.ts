import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `LoginAttempt.client` of the row that counts an account's checks from all clients together. */
export const ALL_CLIENTS = '*';

/**
 * Password checks of one account (tenant and canonical email, whether or not such a user
 * exists) from one client address, or from all of them together (`client` is `ALL_CLIENTS`):
 * when the recent ones failed, which are under way (reserved, not yet settled), and the lock
 * they led to. A client's row also says when a password check from it last passed, which makes
 * it a known client of the account. Kept in the database, so every instance counts the same.
 */
@Entity({ name: 'login_attempts' })
export class LoginAttempt {
  /** The tenant's id, or `slug:<slug>` for a tenant that does not exist. */
  @PrimaryColumn({ name: 'tenant_key', type: 'text' })
  tenantKey!: string;

  @PrimaryColumn({ type: 'text' })
  email!: string;

  /** The client's address as counted (`countedClientOf`: an IPv6 address as its /64), or `ALL_CLIENTS`. */
  @PrimaryColumn({ type: 'text' })
  client!: string;

  /** The last `LOGIN_MAX_FAILURES` failures at most (`LOGIN_MAX_FAILURES_ACCOUNT` on the all-clients row). */
  @Column({ name: 'failed_at', type: 'timestamptz', array: true, default: () => `'{}'` })
  failedAt!: Date[];

  @Column({ name: 'reserved_at', type: 'timestamptz', array: true, default: () => `'{}'` })
  reservedAt!: Date[];

  /** On a client's row: locked for that client. On the all-clients row: locked for every client that is not known. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** When a password check of the account from this client last passed; within `REFRESH_TOKEN_TTL`, the client is known. */
  @Column({ name: 'signed_in_at', type: 'timestamptz', nullable: true })
  signedInAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
