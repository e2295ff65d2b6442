import type { RequestContext } from '../common/http/request-context.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { LockoutAccount } from './lockout-account.js';

/** What a settled password check is recorded as. */
export interface PasswordCheck {
  tenantId: string | null;
  /** The account's user, when there is one. */
  userId: string | null;
  /** Where the password was checked: sign-in, or the current password of a change. */
  via: 'login' | 'password_change';
  origin?: RequestContext;
}

/** `account_changed`: the account's sessions were ended (password, roles, revocation, deletion) while its password was being checked. */
export type RefusalReason = 'account_disabled' | 'tenant_disabled' | 'invalid_scope' | 'account_changed';

/** How `LoginLockout` settles a reservation; given to the check, never called by anyone else. */
export interface Settlements {
  fail(check: PasswordCheck): Promise<void>;
  refuse(check: PasswordCheck, reason: RefusalReason): Promise<void>;
  pass(transaction: Transaction): Promise<void>;
  release(): Promise<void>;
}

/**
 * One password check of an account from one client address, reserved under the account's
 * lockout (`LoginLockout.reserve`), settled once: `failed` (it counts towards the locks),
 * `refused` (the password was right, the sign-in is refused all the same), or `passedIn` a
 * transaction that records the success (settled when it commits). Work that settles it runs inside `settling`, which gives the check back should the
 * work throw before settling it: no caller releases it by hand.
 */
export class ReservedPasswordCheck {
  private settled = false;

  constructor(
    readonly account: LockoutAccount,
    private readonly settlements: Settlements,
  ) {}

  async settling<T>(work: (check: ReservedPasswordCheck) => Promise<T>): Promise<T> {
    try {
      return await work(this);
    } catch (error) {
      if (!this.settled) {
        this.settled = true;
        await this.settlements.release();
      }
      throw error;
    }
  }

  async failed(check: PasswordCheck): Promise<void> {
    this.settle();
    await this.settlements.fail(check);
  }

  async refused(check: PasswordCheck, reason: RefusalReason): Promise<void> {
    this.settle();
    await this.settlements.refuse(check, reason);
  }

  async passedIn(transaction: Transaction): Promise<void> {
    if (this.settled) throw new Error('This password check is settled already');
    await this.settlements.pass(transaction);
    transaction.afterCommit(() => {
      this.settled = true;
    });
  }

  private settle(): void {
    if (this.settled) throw new Error('This password check is settled already');
    this.settled = true;
  }
}
