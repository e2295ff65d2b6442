import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { isEmail } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { DomainError } from '../common/errors/domain.error.js';
import { countedClientOf } from '../common/http/request-context.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import type { LockoutAccount } from './lockout-account.js';
import { ALL_CLIENTS } from './login-attempt.entity.js';
import { type PasswordCheck, type RefusalReason, ReservedPasswordCheck } from './reserved-password-check.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';

/** One row of `login_attempts` as its lock reads it. */
interface Attempts {
  failedAt: Date[];
  reservedAt: Date[];
  lockedUntil: Date | null;
  signedInAt: Date | null;
}

/** An account's rows as a check sees them, both locked: the client's own and the one of all clients together. */
interface LockedRows {
  now: Date;
  own: Attempts;
  all: Attempts;
}

interface AttemptRow {
  client: string;
  failed_at: Date[];
  reserved_at: Date[];
  locked_until: Date | null;
  signed_in_at: Date | null;
  now: Date;
}

/** A reservation not settled within this long belongs to a request that died; it stops counting. */
const RESERVATION_TIMEOUT_MS = 60_000;

const tooManyAttempts = (retryAfterMs: number): DomainError =>
  new DomainError('too_many_attempts', 'Too many failed sign-in attempts; try again later', { retryAfterSeconds: Math.max(1, retryAfterMs / 1000) });

const inForce = (until: Date | null, now: Date): until is Date => until !== null && until.getTime() > now.getTime();

/**
 * Account lockout, the same on every instance, counted per account and client address:
 * `LOGIN_MAX_FAILURES` failed password checks of one account from one client within any
 * `LOGIN_LOCKOUT` (a sliding window) lock it for that client for `LOGIN_LOCKOUT`; a stranger's
 * guesses never count against the owner's address. `LOGIN_MAX_FAILURES_ACCOUNT` failures from
 * all clients together lock it for every client that is not known: one from which a password
 * check of the account passed within `REFRESH_TOKEN_TTL`. A check is reserved under the row
 * locks of the account (all clients first, then the client's own) in the database, before any
 * bcrypt work, and settled after it: failures and checks under way together never exceed
 * either limit, so however many guesses arrive at once, on however many instances, at most
 * `LOGIN_MAX_FAILURES` passwords are evaluated for one client in any window (and at most
 * `LOGIN_MAX_FAILURES_ACCOUNT` from clients that are not known); the rest are refused without
 * looking at the password. Unknown accounts are counted exactly like known ones.
 */
@Injectable()
export class LoginLockout {
  private readonly maxFailures: number;
  private readonly maxFailuresAccount: number;
  private readonly lockoutMs: number;
  private readonly knownForMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    config: ConfigService<AppConfig, true>,
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
  ) {
    const login = config.get('login', { infer: true });
    this.maxFailures = login.maxFailures;
    this.maxFailuresAccount = login.maxFailuresAccount;
    this.lockoutMs = login.lockoutSeconds * 1000;
    this.knownForMs = config.get('session', { infer: true }).refreshTokenTtlSeconds * 1000;
  }

  /**
   * Reserves one password check of `account` from the client at `clientIp` (`RequestContext.ip`),
   * or throws `too_many_attempts` (with when to retry) while the account is locked for that
   * client or its checks are all taken.
   */
  async reserve(account: LockoutAccount, clientIp: string): Promise<ReservedPasswordCheck> {
    const client = countedClientOf(clientIp);
    // One round trip on every password check's way (the function is this class's rules in SQL: migration PasswordCheckReservations).
    const [{ retry_after_ms: retryAfterMs }] = await this.dataSource.query<[{ retry_after_ms: string }]>(
      'SELECT reserve_password_check($1, $2, $3, $4, $5, $6, $7, $8) AS retry_after_ms',
      [account.tenantKey, account.email, client, this.maxFailures, this.maxFailuresAccount, this.lockoutMs, this.knownForMs, RESERVATION_TIMEOUT_MS],
    );
    if (Number(retryAfterMs) > 0) throw tooManyAttempts(Number(retryAfterMs));
    return new ReservedPasswordCheck(account, {
      fail: (check) => this.fail(account, client, check),
      refuse: (check, reason) => this.passRefused(account, client, check, reason),
      pass: (transaction) => this.pass(transaction, account, client),
      release: () => this.release(account, client),
    });
  }

  /**
   * Settles a reserved check that failed: counts it for the client and for all clients, and
   * locks the account (for the client, or for clients that are not known) when it was the last
   * one allowed. Records `login.failed` (and `login.locked` for each lock it starts).
   */
  private async fail(account: LockoutAccount, client: string, check: PasswordCheck): Promise<void> {
    const locked = await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const rows = await this.lockedRows(manager, account, client);
      const own = this.counted(rows.own, rows.now, this.maxFailures);
      const all = this.counted(rows.all, rows.now, this.maxFailuresAccount);
      await this.write(manager, account, client, { own: own.attempts, all: all.attempts });
      const subject = { tenantId: check.tenantId, actorId: check.userId, subjectId: check.userId };
      // The email is recorded only for an account that does not exist (a user is named by id), and
      // only when it is shaped like one: what was typed there may be a password.
      const who: Record<string, string> = {};
      if (!check.userId && isEmail(account.email)) who.email = account.email;
      if (!check.userId && !check.tenantId) who.tenant = account.tenantKey.replace(/^slug:/, '');
      await this.audit.record(transaction, { ...subject, type: 'login.failed', data: { ...who, via: check.via, reason: 'invalid_credentials' } }, check.origin);
      const started = [
        ...(own.locksNow ? [{ lock: 'client', failures: this.maxFailures }] : []),
        ...(all.locksNow ? [{ lock: 'account', failures: this.maxFailuresAccount }] : []),
      ];
      for (const { lock, failures } of started) {
        await this.audit.record(
          transaction,
          { ...subject, type: 'login.locked', data: { ...who, via: check.via, lock, failures, lockedForSeconds: this.lockoutMs / 1000 } },
          check.origin,
        );
      }
      return started.length > 0;
    });
    if (check.via === 'login') this.metrics.signIn(locked ? 'locked' : 'failed');
    if (locked) this.metrics.lockedOut();
  }

  /**
   * Settles a reserved check whose password was right, in the transaction that records the
   * success: the client's failures are forgotten (not those of all clients: a stranger's
   * guesses do not stop counting because the owner signed in), and the client becomes known.
   */
  private async pass({ manager }: Transaction, account: LockoutAccount, client: string): Promise<void> {
    const { now, own, all } = await this.lockedRows(manager, account, client);
    await this.write(manager, account, client, {
      own: { failedAt: [], reservedAt: own.reservedAt.slice(1), lockedUntil: null, signedInAt: now },
      all: { ...all, reservedAt: all.reservedAt.slice(1) },
    });
  }

  /**
   * Settles a reserved check whose password was right for a sign-in that is refused all the
   * same: not a failure (the client's failures are forgotten), but no sign-in either (the client
   * does not become known). Recorded as `login.failed`.
   */
  private async passRefused(account: LockoutAccount, client: string, check: PasswordCheck, reason: RefusalReason): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      const { own, all } = await this.lockedRows(transaction.manager, account, client);
      await this.write(transaction.manager, account, client, {
        own: { ...own, failedAt: [], reservedAt: own.reservedAt.slice(1), lockedUntil: null },
        all: { ...all, reservedAt: all.reservedAt.slice(1) },
      });
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
  private async release(account: LockoutAccount, client: string): Promise<void> {
    await this.unitOfWork
      .run(async ({ manager }) => {
        const { own, all } = await this.lockedRows(manager, account, client);
        await this.write(manager, account, client, {
          own: { ...own, reservedAt: own.reservedAt.slice(1) },
          all: { ...all, reservedAt: all.reservedAt.slice(1) },
        });
      })
      .catch(() => undefined);
  }

  /** Forgets everything counted about the account, every client's and all clients' together, in the caller's transaction (an account deleted). */
  async clear({ manager }: Transaction, account: LockoutAccount): Promise<void> {
    await this.lockAllRows(manager, account);
    await manager.query('DELETE FROM login_attempts WHERE tenant_key = $1 AND email = $2', [account.tenantKey, account.email]);
  }

  /**
   * Lifts every lock of the account in force, for every client and for all clients together,
   * with the failures that led to them, in the caller's transaction; answers whether there was
   * one. Which clients are known is kept. An account without a lock in force is left as it is.
   */
  async unlock({ manager }: Transaction, account: LockoutAccount): Promise<boolean> {
    const [{ locked }] = await this.lockAllRows(manager, account);
    if (locked) {
      await manager.query(`UPDATE login_attempts SET failed_at = '{}', locked_until = NULL, updated_at = now() WHERE tenant_key = $1 AND email = $2`, [
        account.tenantKey,
        account.email,
      ]);
    }
    return locked;
  }

  /** What still counts of a row: failures within the window, oldest first, and reservations not yet timed out. */
  private live(attempts: Attempts, now: Date): Attempts {
    const age = (at: Date) => now.getTime() - at.getTime();
    return {
      ...attempts,
      failedAt: attempts.failedAt.filter((at) => age(at) < this.lockoutMs).sort((x, y) => x.getTime() - y.getTime()),
      reservedAt: attempts.reservedAt.filter((at) => age(at) < RESERVATION_TIMEOUT_MS),
    };
  }

  /** A row with one more failure (now) in place of one of its reservations, locked when that failure is the `limit`th in the window. */
  private counted(attempts: Attempts, now: Date, limit: number): { attempts: Attempts; locksNow: boolean } {
    const failedAt = [...this.live(attempts, now).failedAt, now].slice(-limit);
    const locksNow = failedAt.length >= limit && !inForce(attempts.lockedUntil, now);
    const lockedUntil = locksNow ? new Date(now.getTime() + this.lockoutMs) : attempts.lockedUntil;
    return { attempts: { ...attempts, failedAt, reservedAt: attempts.reservedAt.slice(1), lockedUntil }, locksNow };
  }

  /**
   * One statement that inserts the account's two rows or locks the existing ones, and reads them:
   * a row deleted meanwhile cannot slip between an insert and a read. The all-clients row is
   * locked first, by every statement that locks more than one row of an account, so that two
   * of them never wait for each other.
   */
  private async lockedRows(manager: EntityManager, account: LockoutAccount, client: string): Promise<LockedRows> {
    const rows = await manager.query<AttemptRow[]>(
      `INSERT INTO login_attempts AS attempt (tenant_key, email, client) VALUES ($1, $2, $3), ($1, $2, $4)
       ON CONFLICT (tenant_key, email, client) DO UPDATE SET updated_at = attempt.updated_at
       RETURNING client, failed_at, reserved_at, locked_until, signed_in_at, clock_timestamp() AS now`,
      [account.tenantKey, account.email, ALL_CLIENTS, client],
    );
    const attemptsOf = (row: AttemptRow): Attempts => ({ failedAt: row.failed_at, reservedAt: row.reserved_at, lockedUntil: row.locked_until, signedInAt: row.signed_in_at });
    const all = rows.find((row) => row.client === ALL_CLIENTS)!;
    const own = rows.find((row) => row.client === client)!;
    return { now: own.now, own: attemptsOf(own), all: attemptsOf(all) };
  }

  /** Locks every row of the account, the all-clients row first (see `lockedRows`); answers whether a lock is in force on any. */
  private lockAllRows(manager: EntityManager, account: LockoutAccount): Promise<[{ locked: boolean }]> {
    return manager.query(
      `SELECT coalesce(bool_or(locked_until > now()), false) AS locked FROM (
         SELECT locked_until FROM login_attempts WHERE tenant_key = $1 AND email = $2 ORDER BY client = $3 DESC FOR UPDATE
       ) AS account_rows`,
      [account.tenantKey, account.email, ALL_CLIENTS],
    );
  }

  private async write(manager: EntityManager, account: LockoutAccount, client: string, { own, all }: { own: Attempts; all: Attempts }): Promise<void> {
    await manager.query(
      `UPDATE login_attempts AS attempt
       SET failed_at = state.failed_at, reserved_at = state.reserved_at, locked_until = state.locked_until, signed_in_at = state.signed_in_at, updated_at = now()
       FROM (VALUES ($3, $4::timestamptz[], $5::timestamptz[], $6::timestamptz, $7::timestamptz), ($8, $9::timestamptz[], $10::timestamptz[], $11::timestamptz, $12::timestamptz))
         AS state (client, failed_at, reserved_at, locked_until, signed_in_at)
       WHERE attempt.tenant_key = $1 AND attempt.email = $2 AND attempt.client = state.client`,
      [
        account.tenantKey,
        account.email,
        ...[ALL_CLIENTS, all.failedAt, all.reservedAt, all.lockedUntil, all.signedInAt],
        ...[client, own.failedAt, own.reservedAt, own.lockedUntil, own.signedInAt],
      ],
    );
  }
}
