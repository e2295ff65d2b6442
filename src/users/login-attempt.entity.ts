import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Password checks of one account (tenant and canonical email, whether or not such a user
 * exists) within the current window: failures so far, checks reserved and not yet settled,
 * and the lock they led to. Kept in the database, so every instance counts the same.
 */
@Entity({ name: 'login_attempts' })
export class LoginAttempt {
  /** The tenant's id, or `slug:<slug>` for a tenant that does not exist. */
  @PrimaryColumn({ name: 'tenant_key', type: 'text' })
  tenantKey!: string;

  @PrimaryColumn({ type: 'text' })
  email!: string;

  @Column({ type: 'int', default: 0 })
  failures!: number;

  @Column({ type: 'int', default: 0 })
  pending!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz', default: () => 'now()' })
  windowStartedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
