import type { Transaction } from '../database/unit-of-work.js';
import { type PasswordCheck, ReservedPasswordCheck, type Settlements } from './reserved-password-check.js';

describe(ReservedPasswordCheck.name, () => {
  const account = { tenantKey: 'tenant-1', email: 'ada@example.com' };
  const check: PasswordCheck = { tenantId: 'tenant-1', userId: 'user-1', via: 'login' };
  let settled: string[];
  let sut: ReservedPasswordCheck;
  const settlements: Settlements = {
    fail: () => Promise.resolve(void settled.push('fail')),
    refuse: (_check, reason) => Promise.resolve(void settled.push(`refuse ${reason}`)),
    pass: () => Promise.resolve(void settled.push('pass')),
    release: () => Promise.resolve(void settled.push('release')),
  };
  /** A transaction whose after-commit effects run when `commit` is called. */
  const transaction = (): Transaction & { commit(): void } => {
    const effects: Array<() => void> = [];
    return { manager: {} as Transaction['manager'], afterCommit: (effect) => void effects.push(effect), commit: () => effects.forEach((effect) => effect()) };
  };

  beforeEach(() => {
    settled = [];
    sut = new ReservedPasswordCheck(account, settlements);
  });

  it('gives the check back when the work throws before settling it', async () => {
    await expect(sut.settling(() => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(settled).toEqual(['release']);
  });

  it('does not give back a check the work settled as failed before throwing', async () => {
    await expect(
      sut.settling(async (reserved) => {
        await reserved.failed(check);
        throw new Error('invalid credentials');
      }),
    ).rejects.toThrow('invalid credentials');
    expect(settled).toEqual(['fail']);
  });

  it('is settled by a pass only once the transaction commits', async () => {
    const rolledBack = transaction();
    await expect(
      sut.settling(async (reserved) => {
        await reserved.passedIn(rolledBack);
        throw new Error('the transaction failed');
      }),
    ).rejects.toThrow('the transaction failed');
    expect(settled).toEqual(['pass', 'release']);

    const other = new ReservedPasswordCheck(account, settlements);
    const committed = transaction();
    settled = [];
    await expect(
      other.settling(async (reserved) => {
        await reserved.passedIn(committed);
        committed.commit();
        throw new Error('signing failed after the commit');
      }),
    ).rejects.toThrow('signing failed after the commit');
    expect(settled).toEqual(['pass']);
  });

  it('refuses to be settled twice', async () => {
    await sut.refused(check, 'account_disabled');
    await expect(sut.failed(check)).rejects.toThrow('settled already');
    expect(settled).toEqual(['refuse account_disabled']);
  });
});
