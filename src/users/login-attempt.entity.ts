import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Password checks of one account (tenant and canonical email, whether or not such a user
 * exists): when the recent ones failed, which are under way (reserved, not yet settled), and
 * the lock they led to. Kept in the database, so every instance counts the same.
 */
@Entity({ name: 'login_attempts' })
export class LoginAttempt {
  /** The tenant's id, or `slug:<slug>` for a tenant that does not exist. */
  @PrimaryColumn({ name: 'tenant_key', type: 'text' })
  tenantKey!: string;

  @PrimaryColumn({ type: 'text' })
  email!: string;

  /** The last `LOGIN_MAX_FAILURES` failures at most. */
  @Column({ name: 'failed_at', type: 'timestamptz', array: true, default: () => `'{}'` })
  failedAt!: Date[];

  @Column({ name: 'reserved_at', type: 'timestamptz', array: true, default: () => `'{}'` })
  reservedAt!: Date[];

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
