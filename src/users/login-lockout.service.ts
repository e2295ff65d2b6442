import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import type { LockoutAccount } from './lockout-account.js';
import { type PasswordCheck, type RefusalReason, ReservedPasswordCheck } from './reserved-password-check.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';

interface AttemptRow {
  failed_at: Date[];
  reserved_at: Date[];
  locked_until: Date | null;
  now: Date;
}

/** A reservation not settled within this long belongs to a request that died; it stops counting. */
const RESERVATION_TIMEOUT_MS = 60_000;

const tooManyAttempts = (retryAfterMs: number): DomainError =>
  new DomainError('too_many_attempts', 'Too many failed sign-in attempts; try again later', { retryAfterSeconds: Math.max(1, retryAfterMs / 1000) });

/**
 * Account lockout, the same on every instance: `LOGIN_MAX_FAILURES` failed password checks of
 * one account within any `LOGIN_LOCKOUT` (a sliding window) lock it for `LOGIN_LOCKOUT`. A check
 * is reserved under the account row's lock, in the database, before any bcrypt work, and settled
 * after it: failures and checks under way together never exceed the limit, so however many
 * guesses arrive at once, on however many instances, at most `LOGIN_MAX_FAILURES` passwords are
 * evaluated in any window; the rest are refused without looking at the password. Unknown
 * accounts are counted exactly like known ones.
 */
@Injectable()
export class LoginLockout {
  private readonly maxFailures: number;
  private readonly lockoutMs: number;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
  ) {
    const login = config.get('login', { infer: true });
    this.maxFailures = login.maxFailures;
    this.lockoutMs = login.lockoutSeconds * 1000;
  }

  /** Reserves one password check, or throws `too_many_attempts` (with when to retry) while the account is locked or its checks are all taken. */
  async reserve(account: LockoutAccount): Promise<ReservedPasswordCheck> {
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const row = await this.lockedRow(manager, account, true);
      const now = row.now.getTime();
      if (row.locked_until && row.locked_until.getTime() > now) throw tooManyAttempts(row.locked_until.getTime() - now);
      const failures = this.recentFailures(row);
      const reserved = row.reserved_at.filter((at) => now - at.getTime() < RESERVATION_TIMEOUT_MS);
      // A full window of failures has locked the account (above); here the checks left are all under way, settled within a second or so.
      if (failures.length + reserved.length >= this.maxFailures) throw tooManyAttempts(1000);
      await this.write(manager, account, { failedAt: failures, reservedAt: [...reserved, row.now], lockedUntil: null });
    });
    return new ReservedPasswordCheck(account, {
      fail: (check) => this.fail(account, check),
      refuse: (check, reason) => this.passRefused(account, check, reason),
      pass: (transaction) => this.clear(transaction, account),
      release: () => this.release(account),
    });
  }

  /** Settles a reserved check that failed: counts it, and locks the account when it was the last one allowed. Records `login.failed` (and `login.locked`). */
  private async fail(account: LockoutAccount, check: PasswordCheck): Promise<void> {
    const locked = await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const row = await this.lockedRow(manager, account, true);
      const failures = [...this.recentFailures(row), row.now].slice(-this.maxFailures);
      const locksNow = failures.length >= this.maxFailures && !(row.locked_until && row.locked_until > row.now);
      const lockedUntil = locksNow ? new Date(row.now.getTime() + this.lockoutMs) : row.locked_until;
      await this.write(manager, account, { failedAt: failures, reservedAt: row.reserved_at.slice(1), lockedUntil });
      const subject = { tenantId: check.tenantId, actorId: check.userId, subjectId: check.userId };
      // The email is recorded only for an account that does not exist (a user is named by id), and
      // only when it is shaped like one: what was typed there may be a password.
      const who: Record<string, string> = {};
      if (!check.userId && isEmail(account.email)) who.email = account.email;
      if (!check.userId && !check.tenantId) who.tenant = account.tenantKey.replace(/^slug:/, '');
      await this.audit.record(transaction, { ...subject, type: 'login.failed', data: { ...who, via: check.via, reason: 'invalid_credentials' } }, check.origin);
      if (locksNow) {
        await this.audit.record(
          transaction,
          { ...subject, type: 'login.locked', data: { ...who, via: check.via, failures: this.maxFailures, lockedForSeconds: this.lockoutMs / 1000 } },
          check.origin,
        );
      }
      return locksNow;
    });
    if (check.via === 'login') this.metrics.signIn(locked ? 'locked' : 'failed');
    if (locked) this.metrics.lockedOut();
  }

  /** Settles a reserved check whose password was right for a sign-in that is refused all the same: not a failure, but recorded as `login.failed`. */
  private async passRefused(account: LockoutAccount, check: PasswordCheck, reason: RefusalReason): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      await this.clear(transaction, account);
      await this.audit.record(
        transaction,
        { type: 'login.failed', tenantId: check.tenantId, actorId: check.userId, subjectId: check.userId, data: { via: check.via, reason } },
        check.origin,
      );
    });
    if (check.via === 'login') this.metrics.signIn('refused');
  }

  /**
   * Gives back a reserved check that was never settled (the request failed on the way): it counts
   * neither way. Best effort, never throwing: the caller is already failing with the error that
   * matters, and a reservation not given back stops counting after `RESERVATION_TIMEOUT_MS`.
   */
  private async release(account: LockoutAccount): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
        const row = await this.lockedRow(manager, account, false);
        if (row) await this.write(manager, account, { failedAt: row.failed_at, reservedAt: row.reserved_at.slice(1), lockedUntil: row.locked_until });
      })
      .catch(() => undefined);
  }

  /** Forgets the account's failures, in the caller's transaction (a password check that passed, an account deleted). */
  async clear({ manager }: Transaction, account: LockoutAccount): Promise<void> {
    await manager.query('DELETE FROM login_attempts WHERE tenant_key = $1 AND email = $2', [account.tenantKey, account.email]);
  }

  /** Lifts a lock in force (and the failures that led to it), in the caller's transaction; answers whether there was one. */
  async unlock({ manager }: Transaction, account: LockoutAccount): Promise<boolean> {
    const [rows] = await manager.query<[unknown[], number]>(
      'DELETE FROM login_attempts WHERE tenant_key = $1 AND email = $2 AND locked_until > now() RETURNING 1',
      [account.tenantKey, account.email],
    );
    return rows.length > 0;
  }

  private recentFailures(row: AttemptRow): Date[] {
    return row.failed_at.filter((at) => row.now.getTime() - at.getTime() < this.lockoutMs).sort((x, y) => x.getTime() - y.getTime());
  }

  private lockedRow(manager: EntityManager, account: LockoutAccount, create: true): Promise<AttemptRow>;
  private lockedRow(manager: EntityManager, account: LockoutAccount, create: false): Promise<AttemptRow | undefined>;
  private async lockedRow(manager: EntityManager, account: LockoutAccount, create: boolean): Promise<AttemptRow | undefined> {
    if (create) {
      // One statement that inserts the row or locks the existing one, and reads it: a row deleted
      // meanwhile by a successful sign-in cannot slip between an insert and a read.
      const [created] = await manager.query<AttemptRow[]>(
        `INSERT INTO login_attempts AS attempt (tenant_key, email) VALUES ($1, $2)
         ON CONFLICT (tenant_key, email) DO UPDATE SET updated_at = attempt.updated_at
         RETURNING failed_at, reserved_at, locked_until, clock_timestamp() AS now`,
        [account.tenantKey, account.email],
      );
      return created;
    }
    const [row] = await manager.query<AttemptRow[]>(
      'SELECT failed_at, reserved_at, locked_until, clock_timestamp() AS now FROM login_attempts WHERE tenant_key = $1 AND email = $2 FOR UPDATE',
      [account.tenantKey, account.email],
    );
    return row;
  }

  private async write(manager: EntityManager, account: LockoutAccount, state: { failedAt: Date[]; reservedAt: Date[]; lockedUntil: Date | null }): Promise<void> {
    await manager.query(
      'UPDATE login_attempts SET failed_at = $3, reserved_at = $4, locked_until = $5, updated_at = now() WHERE tenant_key = $1 AND email = $2',
      [account.tenantKey, account.email, state.failedAt, state.reservedAt, state.lockedUntil],
    );
  }
}
