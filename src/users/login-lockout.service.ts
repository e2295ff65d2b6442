import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import type { AppConfig } from '../config/app-config.js';
import { normalizeEmail } from './email.js';
import { LoginAttempt } from './login-attempt.entity.js';

/** One account as lockout counts it: a tenant (or a slug that names none) and a canonical email. */
export interface LockoutAccount {
  tenantKey: string;
  email: string;
}

export function lockoutAccount(tenant: { id: string } | null, tenantSlug: string, email: string): LockoutAccount {
  return { tenantKey: tenant ? tenant.id : `slug:${tenantSlug.toLowerCase()}`, email: normalizeEmail(email) };
}

/** What a failed password check is recorded as. */
export interface FailedCheck {
  tenantId: string | null;
  /** The account's user, when there is one. */
  userId: string | null;
  /** Where the password was checked: sign-in, or the current password of a change. */
  via: 'login' | 'password_change';
  origin?: RequestContext;
}

interface AttemptRow {
  failures: number;
  pending: number;
  window_started_at: Date;
  locked_until: Date | null;
  now: Date;
}

const tooManyAttempts = (retryAfterMs: number): DomainError =>
  new DomainError('too_many_attempts', 'Too many failed sign-in attempts; try again later', { retryAfterSeconds: Math.max(1, retryAfterMs / 1000) });

/**
 * Account lockout, the same on every instance: `LOGIN_MAX_FAILURES` failed password checks of
 * one account within `LOGIN_LOCKOUT` lock it for `LOGIN_LOCKOUT`. A check is reserved (row
 * lock, in the database) before any bcrypt work and settled after it, so that however many
 * guesses arrive at once, on however many instances, at most `LOGIN_MAX_FAILURES` passwords
 * are evaluated; the rest are refused without looking at the password. Unknown accounts are
 * counted exactly like known ones.
 */
@Injectable()
export class LoginLockout {
  private readonly maxFailures: number;
  private readonly lockoutSeconds: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {
    ({ maxFailures: this.maxFailures, lockoutSeconds: this.lockoutSeconds } = config.get('login', { infer: true }));
  }

  /** Reserves one password check, or throws `too_many_attempts` (with when to retry) while the account is locked or its checks are all taken. */
  async reserve(account: LockoutAccount): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO login_attempts (tenant_key, email) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [account.tenantKey, account.email]);
      const [row] = await manager.query<AttemptRow[]>(
        `SELECT failures, pending, window_started_at, locked_until, now() AS now FROM login_attempts WHERE tenant_key = $1 AND email = $2 FOR UPDATE`,
        [account.tenantKey, account.email],
      );
      const now = row.now.getTime();
      if (row.locked_until && row.locked_until.getTime() > now) throw tooManyAttempts(row.locked_until.getTime() - now);
      const windowEnds = row.window_started_at.getTime() + this.lockoutSeconds * 1000;
      const fresh = row.locked_until !== null || windowEnds <= now;
      const failures = fresh ? 0 : row.failures;
      const pending = fresh ? 0 : row.pending;
      if (failures + pending >= this.maxFailures) throw tooManyAttempts(windowEnds - now);
      await manager.query(
        `UPDATE login_attempts SET failures = $3, pending = $4, locked_until = NULL, window_started_at = CASE WHEN $5 THEN now() ELSE window_started_at END
         WHERE tenant_key = $1 AND email = $2`,
        [account.tenantKey, account.email, failures, pending + 1, fresh],
      );
    });
  }

  /** Settles a reserved check that failed: counts it, and locks the account when it was the last one allowed. Records `login.failed` (and `login.locked`). */
  async fail(account: LockoutAccount, check: FailedCheck): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[Array<{ locked_now: boolean }>, number]>(
        `UPDATE login_attempts
         SET pending = GREATEST(pending - 1, 0), failures = failures + 1,
             locked_until = CASE WHEN locked_until IS NULL AND failures + 1 >= $3 THEN now() + make_interval(secs => $4) ELSE locked_until END
         WHERE tenant_key = $1 AND email = $2
         RETURNING locked_until IS NOT DISTINCT FROM now() + make_interval(secs => $4) AS locked_now`,
        [account.tenantKey, account.email, this.maxFailures, this.lockoutSeconds],
      );
      const subject = { tenantId: check.tenantId, actorId: check.userId, subjectId: check.userId };
      // The email is recorded only for an account that does not exist; a user is named by id.
      const who = check.userId ? {} : { email: account.email, ...(check.tenantId ? {} : { tenant: account.tenantKey.replace(/^slug:/, '') }) };
      await this.audit.record(manager, { ...subject, type: 'login.failed', data: { ...who, via: check.via, reason: 'invalid_credentials' } }, check.origin);
      if (rows[0]?.locked_now) {
        await this.audit.record(
          manager,
          { ...subject, type: 'login.locked', data: { ...who, via: check.via, failures: this.maxFailures, lockedForSeconds: this.lockoutSeconds } },
          check.origin,
        );
      }
    });
  }

  /** Settles a reserved check whose password was right for an account that may not sign in: not a failure, but recorded as `login.failed`. */
  async passRefused(account: LockoutAccount, check: FailedCheck, reason: 'account_disabled' | 'tenant_disabled'): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.clear(manager, account);
      await this.audit.record(
        manager,
        { type: 'login.failed', tenantId: check.tenantId, actorId: check.userId, subjectId: check.userId, data: { via: check.via, reason } },
        check.origin,
      );
    });
  }

  /**
   * Forgets the account's failures and lifts its lock, in the caller's transaction (a password
   * check that passed, or an admin's unlock); answers whether there was anything to forget.
   */
  async clear(manager: EntityManager, account: LockoutAccount): Promise<boolean> {
    const { affected } = await manager.delete(LoginAttempt, { tenantKey: account.tenantKey, email: account.email });
    return (affected ?? 0) > 0;
  }
}
