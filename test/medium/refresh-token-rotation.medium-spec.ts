import { FIRST_PARTY_CLIENT_ID } from '../../src/access/principal.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { AuditTrail } from '../../src/audit/audit-trail.service.js';
import { MetricsService } from '../../src/ops/metrics/metrics.service.js';
import { AccessTokenLifetime } from '../../src/tokens/access-token-lifetime.service.js';
import { RefreshTokenRotation } from '../../src/sessions/refresh-token-rotation.service.js';
import { RevocationService } from '../../src/tokens/revocation.service.js';
import { RevocationStore } from '../../src/tokens/revocation-store.js';
import { SessionsService } from '../../src/sessions/sessions.service.js';
import { type MediumService, newMediumService } from '../support/medium-service.js';

const GRACE_SECONDS = 10;
const ORIGIN = { ip: '192.0.2.7', userAgent: 'medium-test' };

type Principal = Parameters<RevocationService['verdict']>[0];

describe(RefreshTokenRotation.name, () => {
  let medium: MediumService<RefreshTokenRotation>;
  let sut: RefreshTokenRotation;

  beforeAll(async () => {
    medium = await newMediumService(RefreshTokenRotation, {
      real: [SessionsService, RevocationService, RevocationStore, AccessTokenLifetime, AuditTrail, MetricsService],
      environment: { REFRESH_REUSE_GRACE: `${GRACE_SECONDS}s` },
    });
    sut = medium.sut;
  });
  afterAll(() => medium.close());

  /** A user of a tenant of its own, signed in: its session and first refresh token. */
  async function newSession() {
    const slug = `t-${randomUUID().slice(0, 8)}`;
    const [tenant] = await medium.sql<{ id: string }>('INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id', [slug]);
    const [user] = await medium.sql<{ id: string }>(
      `INSERT INTO users (tenant_id, email, password_hash, roles) VALUES ($1, $2, 'not a hash', '{user}') RETURNING id`,
      [tenant.id, `${randomUUID()}@example.test`],
    );
    const started = await medium.get(UnitOfWork).run((transaction) => medium.get(SessionsService).start(transaction, { id: user.id, tenantId: tenant.id }, { scopes: ['profile'], clientId: FIRST_PARTY_CLIENT_ID }, ORIGIN));
    return { tenantId: tenant.id, userId: user.id, ...started };
  }

  const tokensOf = (sessionId: string) =>
    medium.sql<{ id: string; rotated_at: Date | null; replaced_by_id: string | null }>('SELECT id, rotated_at, replaced_by_id FROM refresh_tokens WHERE session_id = $1', [sessionId]);
  const eventsOf = (sessionId: string) =>
    medium.sql<{ type: string; subject_id: string; ip: string }>(`SELECT type, subject_id, ip FROM audit_events WHERE data->>'sessionId' = $1 ORDER BY at`, [sessionId]);
  /** Moves every rotation of the session `seconds` into the past, as waiting that long would. */
  const age = (sessionId: string, seconds: number) =>
    medium.sql('UPDATE refresh_tokens SET rotated_at = rotated_at - make_interval(secs => $2) WHERE session_id = $1 AND rotated_at IS NOT NULL', [sessionId, seconds]);

  it('rotates the current token: a new secret replaces it, and token.refreshed is recorded', async () => {
    const { tenantId, userId, sessionId, refreshToken } = await newSession();

    const rotated = await sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN);

    expect(rotated.session).toMatchObject({ id: sessionId, tenantId, userId, scopes: ['profile'] });
    expect(rotated.refreshToken).not.toBe(refreshToken);
    const tokens = await tokensOf(sessionId);
    expect(tokens).toHaveLength(2);
    const current = tokens.find((token) => token.rotated_at === null);
    expect(tokens.find((token) => token.rotated_at !== null)?.replaced_by_id).toBe(current?.id);
    expect(await eventsOf(sessionId)).toEqual([{ type: 'token.refreshed', subject_id: userId, ip: ORIGIN.ip }]);
    // The successor is the session's current token: it rotates in turn.
    expect((await sut.exchange(rotated.refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN)).refreshToken).not.toBe(rotated.refreshToken);
  });

  it('answers a token rotated within the grace window with the session’s current token, and creates nothing', async () => {
    const { sessionId, refreshToken } = await newSession();
    const rotated = await sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN);

    const again = await sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN);

    expect(again.refreshToken).toBe(rotated.refreshToken);
    expect(again.session.id).toBe(sessionId);
    expect(await tokensOf(sessionId)).toHaveLength(2);
    expect((await eventsOf(sessionId)).map((event) => event.type)).toEqual(['token.refreshed']);
    expect(await medium.sql('SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL', [sessionId])).toHaveLength(1);
  });

  it('follows the rotations from a token rotated within the window to the current one', async () => {
    const { refreshToken } = await newSession();
    const second = await sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN);
    const third = await sut.exchange(second.refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN);

    expect((await sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN)).refreshToken).toBe(third.refreshToken);
  });

  it('treats a rotated token presented after the grace window as reuse: the whole session is revoked, here at once and in the database', async () => {
    const { tenantId, userId, sessionId, refreshToken } = await newSession();
    const rotated = await sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN);
    await age(sessionId, GRACE_SECONDS + 1);

    const now = Math.floor(Date.now() / 1000);
    const accessToken: Principal = { kind: 'user', clientId: 'portcullis', subject: userId, userId, tenantId, roles: ['user'], scopes: ['profile'], sessionId, tokenId: randomUUID(), issuedAt: now, expiresAt: now + 900 };
    expect(medium.get(RevocationService).verdict(accessToken)).toBeUndefined();

    await expect(sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN)).rejects.toMatchObject({ name: 'DomainError', code: 'refresh_token_reused' });

    // At once on this instance, before any notification could come back from the database.
    expect(medium.get(RevocationService).verdict(accessToken)).toBe('token_revoked');
    expect(await medium.sql('SELECT revoked_reason FROM sessions WHERE id = $1 AND revoked_at IS NOT NULL', [sessionId])).toEqual([{ revoked_reason: 'refresh_token_reused' }]);
    expect(await medium.sql(`SELECT kind FROM revocations WHERE key = $1`, [sessionId])).toEqual([{ kind: 'session' }]);
    expect((await eventsOf(sessionId)).map((event) => event.type)).toEqual(['token.refreshed', 'token.reuse_detected']);
    // The thief's or the owner's current token goes with the session.
    await expect(sut.exchange(rotated.refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it.each([
    ['a token it never issued', () => Promise.resolve(randomBytes(32).toString('base64url'))],
    [
      'an expired token',
      async () => {
        const { sessionId, refreshToken } = await newSession();
        await medium.sql(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE session_id = $1`, [sessionId]);
        return refreshToken;
      },
    ],
    [
      'the token of a revoked session',
      async () => {
        const { sessionId, refreshToken } = await newSession();
        await medium.sql(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1`, [sessionId]);
        return refreshToken;
      },
    ],
  ])('refuses %s as refresh_token_invalid, and rotates nothing', async (_case, arrange) => {
    const refreshToken = await arrange();
    const tokens = () => medium.sql('SELECT count(*) AS tokens, count(rotated_at) AS rotated FROM refresh_tokens');
    const before = await tokens();

    await expect(sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN)).rejects.toMatchObject({ name: 'DomainError', code: 'refresh_token_invalid' });

    expect(await tokens()).toEqual(before);
  });

  it('serializes concurrent exchanges of one token: one successor, which every caller receives', async () => {
    const { sessionId, refreshToken } = await newSession();
    // Connections open beforehand, so that the exchanges reach the database together.
    await Promise.all(Array.from({ length: 8 }, () => medium.get(DataSource).query('SELECT pg_sleep(0.05)')));

    const answers = await Promise.all(Array.from({ length: 8 }, () => sut.exchange(refreshToken, FIRST_PARTY_CLIENT_ID, ORIGIN)));

    expect(new Set(answers.map((answer) => answer.refreshToken)).size).toBe(1);
    expect(answers[0].refreshToken).not.toBe(refreshToken);
    expect(await tokensOf(sessionId)).toHaveLength(2);
    expect((await eventsOf(sessionId)).map((event) => event.type)).toEqual(['token.refreshed']);
  });
});
