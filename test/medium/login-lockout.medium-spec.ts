import { randomUUID } from 'node:crypto';
import { AuditTrail } from '../../src/audit/audit-trail.service.js';
import { type Transaction, UnitOfWork } from '../../src/database/unit-of-work.js';
import { MetricsService } from '../../src/ops/metrics/metrics.service.js';
import type { LockoutAccount } from '../../src/users/lockout-account.js';
import { LoginLockout } from '../../src/users/login-lockout.service.js';
import { type PasswordCheck, ReservedPasswordCheck } from '../../src/users/reserved-password-check.js';
import { type MediumService, newMediumService } from '../support/medium-service.js';

const MAX_FAILURES = 3;
const MAX_FAILURES_ACCOUNT = 5;
const LOCKOUT_SECONDS = 15 * 60;
/** The address every check of a test comes from, unless it says otherwise. */
const CLIENT = '192.0.2.1';

interface AttemptRow {
  failures: number;
  reservations: number;
  locked_until: Date | null;
}

describe(LoginLockout.name, () => {
  let medium: MediumService<LoginLockout>;
  let sut: LoginLockout;

  beforeAll(async () => {
    medium = await newMediumService(LoginLockout, {
      real: [AuditTrail, MetricsService],
      environment: { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_MAX_FAILURES_ACCOUNT: String(MAX_FAILURES_ACCOUNT), LOGIN_LOCKOUT: `${LOCKOUT_SECONDS}s` },
    });
    sut = medium.sut;
  });
  afterAll(() => medium.close());

  /** An account of its own for each test: a tenant slug that names none, and a fresh email. */
  const newAccount = (): LockoutAccount => ({ tenantKey: `slug:t-${randomUUID().slice(0, 8)}`, email: `${randomUUID()}@example.test` });
  const CHECK: PasswordCheck = { tenantId: null, userId: null, via: 'login', origin: { ip: CLIENT } };

  /** One wrong password, as a sign-in settles it. */
  async function failOnce(account: LockoutAccount, client = CLIENT): Promise<void> {
    await (await sut.reserve(account, client)).failed({ ...CHECK, origin: { ip: client } });
  }

  /** A reserved check whose request failed on the way, before settling it. */
  const giveBack = (check: ReservedPasswordCheck): Promise<unknown> => check.settling(() => Promise.reject(new Error('the request failed'))).catch(() => undefined);

  /** The account's row for one client (`*`: for all clients together). */
  async function row(account: LockoutAccount, client = CLIENT): Promise<AttemptRow | undefined> {
    const [found] = await medium.sql<AttemptRow>(
      'SELECT cardinality(failed_at) AS failures, cardinality(reserved_at) AS reservations, locked_until FROM login_attempts WHERE tenant_key = $1 AND email = $2 AND client = $3',
      [account.tenantKey, account.email, client],
    );
    return found;
  }

  const eventsAbout = (account: LockoutAccount) =>
    medium.sql<{ type: string }>(`SELECT type FROM audit_events WHERE data->>'email' = $1 ORDER BY at, type`, [account.email]);

  const inTransaction = <T>(work: (transaction: Transaction) => Promise<T>): Promise<T> => medium.get(UnitOfWork).run(work);

  it('counts each failed check in the database, and locks the account on the last one allowed', async () => {
    const account = newAccount();
    for (let failure = 1; failure < MAX_FAILURES; failure++) await failOnce(account);
    expect(await row(account)).toEqual({ failures: MAX_FAILURES - 1, reservations: 0, locked_until: null });

    const before = Date.now();
    await failOnce(account);
    const locked = await row(account);
    expect(locked).toMatchObject({ failures: MAX_FAILURES, reservations: 0 });
    expect(locked!.locked_until!.getTime()).toBeGreaterThanOrEqual(before + LOCKOUT_SECONDS * 1000 - 1000);
    expect(locked!.locked_until!.getTime()).toBeLessThanOrEqual(Date.now() + LOCKOUT_SECONDS * 1000 + 1000);
    expect((await eventsAbout(account)).map((event) => event.type)).toEqual([...Array<string>(MAX_FAILURES).fill('login.failed'), 'login.locked']);
  });

  it('refuses every check of a locked account with too_many_attempts and when to retry, and records nothing more', async () => {
    const account = newAccount();
    for (let failure = 0; failure < MAX_FAILURES; failure++) await failOnce(account);
    const events = (await eventsAbout(account)).length;

    const refusal = sut.reserve(account, CLIENT);
    await expect(refusal).rejects.toMatchObject({ name: 'DomainError', code: 'too_many_attempts' });
    const retryAfter = ((await refusal.catch((error: unknown) => error)) as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(LOCKOUT_SECONDS - 60);
    expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_SECONDS);
    expect(await row(account)).toMatchObject({ failures: MAX_FAILURES, reservations: 0 });
    expect(await eventsAbout(account)).toHaveLength(events);
  });

  it('keeps another account, in the same tenant or with the same email elsewhere, unlocked', async () => {
    const account = newAccount();
    for (let failure = 0; failure < MAX_FAILURES; failure++) await failOnce(account);
    await expect(sut.reserve({ ...account, email: `${randomUUID()}@example.test` }, CLIENT)).resolves.toBeInstanceOf(ReservedPasswordCheck);
    await expect(sut.reserve({ ...account, tenantKey: `slug:t-${randomUUID().slice(0, 8)}` }, CLIENT)).resolves.toBeInstanceOf(ReservedPasswordCheck);
  });

  it('reserves no more checks under way than failures are left, and a released one can be taken again', async () => {
    const account = newAccount();
    await failOnce(account);
    const held: ReservedPasswordCheck[] = [];
    for (let reserved = 1; reserved < MAX_FAILURES; reserved++) held.push(await sut.reserve(account, CLIENT));
    expect(await row(account)).toMatchObject({ failures: 1, reservations: MAX_FAILURES - 1 });
    await expect(sut.reserve(account, CLIENT)).rejects.toMatchObject({ code: 'too_many_attempts', details: { retryAfterSeconds: 1 } });

    await giveBack(held[0]);
    expect(await row(account)).toMatchObject({ failures: 1, reservations: MAX_FAILURES - 2, locked_until: null });
    await expect(sut.reserve(account, CLIENT)).resolves.toBeInstanceOf(ReservedPasswordCheck);
  });

  it('counts a released check neither way', async () => {
    const account = newAccount();
    await giveBack(await sut.reserve(account, CLIENT));
    expect(await row(account)).toEqual({ failures: 0, reservations: 0, locked_until: null });
    expect(await eventsAbout(account)).toEqual([]);
  });

  it('settles a right password refused all the same without counting a failure', async () => {
    const account = newAccount();
    await failOnce(account);
    await (await sut.reserve(account, CLIENT)).refused(CHECK, 'account_disabled');
    expect(await row(account)).toEqual({ failures: 0, reservations: 0, locked_until: null });
    expect(await row(account, '*')).toEqual({ failures: 1, reservations: 0, locked_until: null });
  });

  it('lets a lock lapse after LOGIN_LOCKOUT, and the failures of a window past no longer count', async () => {
    const account = newAccount();
    for (let failure = 0; failure < MAX_FAILURES; failure++) await failOnce(account);
    await medium.sql(
      `UPDATE login_attempts SET locked_until = locked_until - make_interval(secs => $3), failed_at = ARRAY(SELECT at - make_interval(secs => $3) FROM unnest(failed_at) AS at)
       WHERE tenant_key = $1 AND email = $2`,
      [account.tenantKey, account.email, LOCKOUT_SECONDS + 1],
    );
    await failOnce(account);
    expect(await row(account)).toMatchObject({ failures: 1 });
    await expect(sut.reserve(account, CLIENT)).resolves.toBeInstanceOf(ReservedPasswordCheck);
  });

  it('forgets the failures of the client whose password then passes, not those of all clients', async () => {
    const account = newAccount();
    for (let failure = 1; failure < MAX_FAILURES; failure++) await failOnce(account);
    const check = await sut.reserve(account, CLIENT);
    await inTransaction((transaction) => check.passedIn(transaction));
    expect(await row(account)).toEqual({ failures: 0, reservations: 0, locked_until: null });
    expect(await row(account, '*')).toEqual({ failures: MAX_FAILURES - 1, reservations: 0, locked_until: null });
    for (let failure = 1; failure < MAX_FAILURES; failure++) await failOnce(account);
    expect(await row(account)).toMatchObject({ failures: MAX_FAILURES - 1, locked_until: null });
  });

  it('forgets everything about a deleted account', async () => {
    const account = newAccount();
    await failOnce(account);
    await failOnce(account, '198.51.100.7');
    await inTransaction((transaction) => sut.clear(transaction, account));
    expect(await medium.sql('SELECT 1 FROM login_attempts WHERE tenant_key = $1 AND email = $2', [account.tenantKey, account.email])).toEqual([]);
  });

  it('counts failures per client: another address keeps its own budget', async () => {
    const account = newAccount();
    for (let failure = 0; failure < MAX_FAILURES; failure++) await failOnce(account);
    await expect(sut.reserve(account, CLIENT)).rejects.toMatchObject({ code: 'too_many_attempts' });
    await expect(sut.reserve(account, '198.51.100.7')).resolves.toBeInstanceOf(ReservedPasswordCheck);
  });

  it('counts an IPv6 client as its /64', async () => {
    const account = newAccount();
    for (let failure = 0; failure < MAX_FAILURES; failure++) await failOnce(account, `2001:db8:1:2::${failure + 1}`);
    await expect(sut.reserve(account, '2001:db8:1:2:ffff::9')).rejects.toMatchObject({ code: 'too_many_attempts' });
    await expect(sut.reserve(account, '2001:db8:1:3::1')).resolves.toBeInstanceOf(ReservedPasswordCheck);
  });

  it('locks the account for clients it does not know once all clients together reach LOGIN_MAX_FAILURES_ACCOUNT, and lets a known one in', async () => {
    const account = newAccount();
    const known = await sut.reserve(account, '203.0.113.1');
    await inTransaction((transaction) => known.passedIn(transaction));
    for (let failure = 0; failure < MAX_FAILURES_ACCOUNT; failure++) await failOnce(account, `198.51.100.${failure + 1}`);
    expect(await row(account, '*')).toMatchObject({ failures: MAX_FAILURES_ACCOUNT, locked_until: expect.any(Date) });
    await expect(sut.reserve(account, '198.51.100.200')).rejects.toMatchObject({ code: 'too_many_attempts' });
    await expect(sut.reserve(account, '203.0.113.1')).resolves.toBeInstanceOf(ReservedPasswordCheck);
    const locks = await medium.sql<{ data: { lock: string; failures: number } }>(`SELECT data FROM audit_events WHERE type = 'login.locked' AND data->>'email' = $1`, [account.email]);
    expect(locks.map((event) => event.data)).toEqual([expect.objectContaining({ lock: 'account', failures: MAX_FAILURES_ACCOUNT })]);
  });

  it('unlocks a locked account for every client, answering that it was locked', async () => {
    const account = newAccount();
    for (let failure = 0; failure < MAX_FAILURES; failure++) await failOnce(account);
    for (let failure = MAX_FAILURES; failure < MAX_FAILURES_ACCOUNT; failure++) await failOnce(account, '198.51.100.7');
    expect(await row(account)).toMatchObject({ locked_until: expect.any(Date) });
    expect(await row(account, '*')).toMatchObject({ locked_until: expect.any(Date) });
    await expect(inTransaction((transaction) => sut.unlock(transaction, account))).resolves.toBe(true);
    expect(await row(account)).toMatchObject({ failures: 0, locked_until: null });
    expect(await row(account, '198.51.100.7')).toMatchObject({ failures: 0, locked_until: null });
    expect(await row(account, '*')).toMatchObject({ failures: 0, locked_until: null });
    await expect(sut.reserve(account, CLIENT)).resolves.toBeInstanceOf(ReservedPasswordCheck);
    await expect(sut.reserve(account, '198.51.100.8')).resolves.toBeInstanceOf(ReservedPasswordCheck);
  });

  it('answers that an account without a lock in force was not locked, and keeps its failures', async () => {
    const account = newAccount();
    await failOnce(account);
    await expect(inTransaction((transaction) => sut.unlock(transaction, account))).resolves.toBe(false);
    expect(await row(account)).toMatchObject({ failures: 1 });
  });

  it('evaluates at most the allowed checks of many concurrent ones: the rest are refused, none fails otherwise', async () => {
    const account = newAccount();
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => sut.reserve(account, CLIENT)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(MAX_FAILURES);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused.map((outcome) => (outcome.reason as { code?: string }).code)).toEqual(Array<string>(12 - MAX_FAILURES).fill('too_many_attempts'));
  });

  it('evaluates at most LOGIN_MAX_FAILURES_ACCOUNT concurrent checks from clients it does not know, one each', async () => {
    const account = newAccount();
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => sut.reserve(account, `198.51.100.${i + 1}`)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(MAX_FAILURES_ACCOUNT);
  });
});
