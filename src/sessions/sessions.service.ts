import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { Scope } from '../access/roles-and-scopes.js';
import type { RequestContext } from '../common/http/request-context.js';
import type { AppConfig } from '../config/app-config.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';
import { AccessTokenLifetime } from '../tokens/access-token-lifetime.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { generateRefreshTokenSecret, hashRefreshTokenSecret } from './refresh-token-secret.js';
import type { RevocationEntry } from '../tokens/revocation-list.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { Session, type SessionRevocationReason } from './session.entity.js';

export interface StartedSession {
  sessionId: string;
  refreshToken: string;
  /** When the session opened: the user's `auth_time`. */
  startedAt: Date;
}

/** What a new session is granted: its scopes, and the OAuth client its refresh tokens belong to. */
export interface SessionGrant {
  scopes: Scope[];
  clientId: string;
}

/** How ending sessions is recorded: an ordinary `session.revoked`, or a user's logout everywhere. */
export interface SessionRevocationAudit {
  type: 'session.revoked' | 'user.logged_out_everywhere';
  tenantId: string;
  actorId: string | null;
  origin?: RequestContext;
}

/** Which sessions of a user to end: one, some, all, or all but the caller's own. */
export interface SessionSelection {
  userId: string;
  sessionId?: string;
  sessionIds?: string[];
  exceptSessionId?: string;
}

/**
 * A new session and its first refresh token, and the user's other live sessions beyond the
 * newest `$9` (the new one, most recently used of all, makes up the limit; the statement's
 * snapshot does not see it).
 */
const OPEN_SESSION = `
  WITH opened AS (
    INSERT INTO sessions (tenant_id, user_id, last_used_at, expires_at, user_agent, ip, scopes, client_id)
    VALUES ($1, $2, now(), now() + make_interval(secs => $3), $4, $5, $6, $7)
    RETURNING id, created_at, expires_at
  ), first_token AS (
    INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
    SELECT id, $8, expires_at FROM opened
  )
  SELECT opened.id, opened.created_at, ARRAY(
    SELECT id FROM sessions
    WHERE user_id = $2 AND revoked_at IS NULL AND expires_at > now()
    ORDER BY last_used_at DESC, created_at DESC, id OFFSET $9
  ) AS beyond
  FROM opened`;

@Injectable()
export class SessionsService {
  private readonly refreshTokenTtlSeconds: number;
  private readonly maxPerUser: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly revocations: RevocationService,
    private readonly audit: AuditTrail,
    private readonly lifetime: AccessTokenLifetime,
  ) {
    const session = config.get('session', { infer: true });
    this.refreshTokenTtlSeconds = session.refreshTokenTtlSeconds;
    this.maxPerUser = session.maxPerUser;
  }

  /**
   * Opens a session for a user who just proved who they are, with its first refresh token, in the
   * caller's transaction, and keeps the user within `MAX_SESSIONS_PER_USER` live sessions: the
   * least recently used beyond it end (their access tokens refused once the sign-in commits),
   * recorded as `session.revoked`. One statement on the sign-in path, which shares its CPU with bcrypt.
   */
  async start(transaction: Transaction, user: { id: string; tenantId: string }, { scopes, clientId }: SessionGrant, context: RequestContext): Promise<StartedSession> {
    const refreshToken = generateRefreshTokenSecret();
    const [opened] = await transaction.manager.query<Array<{ id: string; created_at: Date; beyond: string[] }>>(OPEN_SESSION, [
      user.tenantId,
      user.id,
      this.refreshTokenTtlSeconds,
      context.userAgent ?? null,
      context.ip,
      scopes,
      clientId,
      hashRefreshTokenSecret(refreshToken),
      this.maxPerUser - 1,
    ]);
    if (opened === undefined) throw new Error('The new session was not returned');
    if (opened.beyond.length > 0) await this.endBeyondLimit(transaction, user, opened.beyond, context);
    return { sessionId: opened.id, refreshToken, startedAt: opened.created_at };
  }

  private async endBeyondLimit(transaction: Transaction, user: { id: string; tenantId: string }, sessionIds: string[], context: RequestContext): Promise<void> {
    const ended = await this.revokeInTransaction(transaction, { userId: user.id, sessionIds }, 'session_limit');
    await this.audit.record(
      transaction,
      { type: 'session.revoked', tenantId: user.tenantId, actorId: user.id, subjectId: user.id, data: { reason: 'session_limit', sessions: ended, sessionIds } },
      context,
    );
  }

  /** The user's sessions that can still be refreshed, most recently used first. */
  listActive(userId: string, limit: number, offset: number): Promise<[Session[], number]> {
    return this.dataSource
      .getRepository(Session)
      .createQueryBuilder('session')
      .where('session.userId = :userId AND session.revokedAt IS NULL AND session.expiresAt > now()', { userId })
      .orderBy('session.lastUsedAt', 'DESC')
      .addOrderBy('session.id')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
  }

  /**
   * Ends the selected sessions and records it; answers how many were still open. Their access
   * tokens stop working at once.
   */
  async revoke(selection: SessionSelection, reason: SessionRevocationReason, audit: SessionRevocationAudit): Promise<number> {
    return this.unitOfWork.run((transaction) => this.revokeAndRecord(transaction, selection, reason, audit));
  }

  /** The same, in the caller's transaction. */
  async revokeAndRecord(transaction: Transaction, selection: SessionSelection, reason: SessionRevocationReason, audit: SessionRevocationAudit): Promise<number> {
    const revoked = await this.revokeInTransaction(transaction, selection, reason);
    if (revoked > 0) {
      const data = { reason, sessions: revoked, ...(selection.sessionId ? { sessionId: selection.sessionId } : {}) };
      await this.audit.record(transaction, { type: audit.type, tenantId: audit.tenantId, actorId: audit.actorId, subjectId: selection.userId, data }, audit.origin);
    }
    return revoked;
  }

  /** The session a refresh token (current or already rotated) belongs to, whatever its state. */
  async findByRefreshToken(secret: string): Promise<Pick<Session, 'id' | 'userId' | 'tenantId' | 'clientId'> | undefined> {
    const found = await this.dataSource
      .getRepository(RefreshToken)
      .createQueryBuilder('token')
      .innerJoin(Session, 'session', 'session.id = token.sessionId')
      .select(['session.id AS "id"', 'session.userId AS "userId"', 'session.tenantId AS "tenantId"', 'session.clientId AS "clientId"'])
      .where('token.tokenHash = :hash', { hash: hashRefreshTokenSecret(secret) })
      .getRawOne<{ id: string; userId: string; tenantId: string; clientId: string }>();
    return found ?? undefined;
  }

  /** A refresh token's session, if the token is the session's current, usable one. */
  async findByCurrentRefreshToken(secret: string): Promise<{ session: Session; token: RefreshToken } | undefined> {
    const token = await this.dataSource.getRepository(RefreshToken).findOneBy({ tokenHash: hashRefreshTokenSecret(secret) });
    if (!token || token.rotatedAt || token.expiresAt <= new Date()) return undefined;
    const session = await this.dataSource.getRepository(Session).findOneBy({ id: token.sessionId });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return undefined;
    return { session, token };
  }

  /** The same, in the caller's transaction, unrecorded; their access tokens stop working once it commits. Answers how many. */
  async revokeInTransaction(transaction: Transaction, selection: SessionSelection, reason: SessionRevocationReason): Promise<number> {
    const { manager } = transaction;
    const query = manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId: selection.userId });
    if (selection.sessionId) query.andWhere('id = :sessionId', { sessionId: selection.sessionId });
    if (selection.sessionIds) query.andWhere('id IN (:...sessionIds)', { sessionIds: selection.sessionIds });
    if (selection.exceptSessionId) query.andWhere('id <> :exceptSessionId', { exceptSessionId: selection.exceptSessionId });
    const result = await query.returning(['id']).execute();
    const revoked = result.raw as Array<{ id: string }>;
    if (revoked.length === 0) return 0;
    // An entry matters until the last access token of its session has expired, whoever issued it.
    const expiresAt = await this.lifetime.allExpiredBy(manager);
    await this.revocations.record(
      transaction,
      revoked.map(({ id }): RevocationEntry => ({ kind: 'session', key: id, expiresAt })),
    );
    return revoked.length;
  }

  /**
   * Ends every session of a tenant, inside the caller's transaction (a disabled tenant); answers
   * how many. Their access tokens are covered by the tenant's own revocation entry.
   */
  async revokeTenantSessions(transaction: Transaction, tenantId: string): Promise<number> {
    const [, affected] = await transaction.manager.query<[unknown, number]>(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'tenant_disabled' WHERE tenant_id = $1 AND revoked_at IS NULL`,
      [tenantId],
    );
    return affected;
  }
}
