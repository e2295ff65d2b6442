import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { Role, Scope } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import type { AppConfig } from '../config/app-config.js';
import { PreparedStatement } from '../database/prepared-statement.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { openSuccessor, sealSuccessor } from './refresh-token-seal.js';
import { generateRefreshTokenSecret, hashRefreshTokenSecret } from './refresh-token-secret.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';

export interface RotatedSession {
  session: Pick<Session, 'id' | 'tenantId' | 'userId' | 'scopes' | 'clientId' | 'createdAt'>;
  /** The session's current refresh token after this exchange. */
  refreshToken: string;
  /** The roles of the session's user, when the exchange saw the user and the tenant active; otherwise the caller looks. */
  activeHolderRoles?: Role[];
}

/** What `decide` makes of a token the rotation statement did not take. */
type Outcome = { kind: 'valid'; rotated: RotatedSession } | { kind: 'invalid' } | { kind: 'reused' } | { kind: 'unrotated' };

/** A chain of rotations longer than this within one grace window is not a browser's tabs. */
const MAX_CHAIN_WALK = 50;

interface RotatedRow {
  id: string;
  tenant_id: string;
  user_id: string;
  scopes: Scope[];
  client_id: string;
  created_at: Date;
  roles: Role[];
  holder_active: boolean;
}

/**
 * The one rotation: the presented token is its session's current one and the session is live.
 * One statement (one round trip, one commit) locks the session row (so a revocation is ordered
 * before or after), rotates the token only if it is still unrotated once the lock is held
 * (PostgreSQL re-reads a row another transaction changed before updating it), inserts the
 * successor and records `token.refreshed` through `AuditTrail.recordEach`, all or nothing; it
 * answers whether the session's user and tenant are active, and the user's roles. No row:
 * anything else (a token rotated already, unknown, expired or revoked), left to `decide`. Times
 * are the service's clock ($7), as in `decide`, whose grace window compares `rotated_at` with it:
 * a database clock ahead or behind must not stretch or cut it.
 */
const ROTATE = new PreparedStatement<RotatedRow>(
  'rotate-refresh-token',
  `
  WITH presented AS (
    SELECT session_id FROM refresh_tokens WHERE token_hash = $1 AND rotated_at IS NULL AND expires_at > $7
  ), live AS (
    UPDATE sessions s SET last_used_at = $7
    FROM presented p, users u, tenants t
    WHERE s.id = p.session_id AND s.revoked_at IS NULL AND s.expires_at > $7 AND s.client_id = $8 AND u.id = s.user_id AND t.id = s.tenant_id
    RETURNING s.id, s.tenant_id, s.user_id, s.scopes, s.client_id, s.created_at, s.expires_at, u.roles, u.active AND t.active AS holder_active
  ), rotated AS (
    UPDATE refresh_tokens r SET rotated_at = $7, replaced_by_id = $2, replacement_sealed = $3
    FROM live
    WHERE r.token_hash = $1 AND r.rotated_at IS NULL AND r.session_id = live.id
    RETURNING r.session_id
  ), successor AS (
    INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at)
    SELECT $2, live.id, $4, live.expires_at FROM live JOIN rotated ON rotated.session_id = live.id
  ), audited AS (
    ${AuditTrail.recordEach('live JOIN rotated ON rotated.session_id = live.id', {
      tenantId: 'live.tenant_id',
      type: 'token.refreshed',
      actorId: 'live.user_id',
      subjectId: 'live.user_id',
      ip: '$5',
      userAgent: '$6',
      data: "jsonb_build_object('sessionId', live.id)",
    })}
  )
  SELECT live.id, live.tenant_id, live.user_id, live.scopes, live.client_id, live.created_at, live.roles, live.holder_active FROM live JOIN rotated ON rotated.session_id = live.id`,
);

/**
 * Exchanges a refresh token for its successor. Each exchange locks the session row, so
 * concurrent exchanges of one token are serialized: the first rotates, the others (within
 * `REFRESH_REUSE_GRACE` of it) are answered with the session's current token and create
 * nothing. A rotated token presented after the grace window revokes the whole session.
 */
@Injectable()
export class RefreshTokenRotation {
  private readonly graceMs: number;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
  ) {
    this.graceMs = config.get('session', { infer: true }).refreshReuseGraceSeconds * 1000;
  }

  /** For the OAuth client `clientId` only (RFC 6749 §6): another client's token is invalid for it, and left as it is. */
  async exchange(secret: string, clientId: string, origin: RequestContext): Promise<RotatedSession> {
    const presentedHash = hashRefreshTokenSecret(secret);
    // A token `decide` finds unrotated was freed while the statement looked (a rotation rolled back): one more try.
    for (let attempt = 0; attempt < 2; attempt++) {
      const rotated = await this.rotate(secret, presentedHash, clientId, origin);
      if (rotated) {
        this.metrics.refreshed();
        return rotated;
      }
      const outcome = await this.unitOfWork.run((transaction) => this.decide(transaction, secret, presentedHash, clientId, origin));
      switch (outcome.kind) {
        case 'valid':
          this.metrics.refreshed();
          return outcome.rotated;
        case 'reused':
          this.metrics.reuseDetected();
          throw new DomainError('refresh_token_reused', 'This refresh token was already used; the session has been revoked');
        case 'invalid':
          throw new DomainError('refresh_token_invalid', 'The refresh token is not valid');
        case 'unrotated':
          continue;
      }
    }
    throw new DomainError('refresh_token_invalid', 'The refresh token is not valid');
  }

  private async rotate(secret: string, presentedHash: Buffer, clientId: string, origin: RequestContext): Promise<RotatedSession | undefined> {
    const successor = this.successorOf(secret);
    const [row] = await ROTATE.run(this.dataSource, [
      presentedHash,
      randomUUID(),
      successor.sealed,
      successor.hash,
      origin.ip,
      origin.userAgent ?? null,
      new Date(),
      clientId,
    ]);
    if (!row) return undefined;
    return {
      session: { id: row.id, tenantId: row.tenant_id, userId: row.user_id, scopes: row.scopes, clientId: row.client_id, createdAt: row.created_at },
      refreshToken: successor.secret,
      activeHolderRoles: row.holder_active ? row.roles : undefined,
    };
  }

  /** A new refresh token for the holder of `secret`: its secret, what is stored of it, and the secret sealed for the grace window (none without one). */
  private successorOf(secret: string): { secret: string; hash: Buffer; sealed: Buffer | null } {
    const successor = generateRefreshTokenSecret();
    return { secret: successor, hash: hashRefreshTokenSecret(successor), sealed: this.graceMs > 0 ? sealSuccessor(successor, secret) : null };
  }

  /** Every exchange the rotation statement does not take: a token rotated already (grace window or reuse), an unknown, expired or revoked one. */
  private async decide(transaction: Transaction, secret: string, presentedHash: Buffer, clientId: string, origin: RequestContext): Promise<Outcome> {
    const { manager } = transaction;
    const tokens = manager.getRepository(RefreshToken);
    const presented = await tokens.findOneBy({ tokenHash: presentedHash });
    if (!presented) return { kind: 'invalid' };
    const session = await manager
      .getRepository(Session)
      .createQueryBuilder('session')
      .setLock('pessimistic_write')
      .where('session.id = :id', { id: presented.sessionId })
      .getOne();
    const now = new Date();
    // Another client's token is not its to use, nor to set off reuse detection with.
    if (!session || session.revokedAt || session.expiresAt <= now || session.clientId !== clientId) return { kind: 'invalid' };
    // Read again under the session lock: a concurrent exchange may have just rotated it.
    const token = await tokens.findOneBy({ id: presented.id });
    if (!token || token.expiresAt <= now) return { kind: 'invalid' };

    if (!token.rotatedAt) return { kind: 'unrotated' };

    const event = { tenantId: session.tenantId, actorId: session.userId, subjectId: session.userId };

    const current = now.getTime() - token.rotatedAt.getTime() <= this.graceMs ? await this.currentSecret(manager, token, secret) : undefined;
    if (current === undefined) {
      await this.sessions.revokeInTransaction(transaction, { userId: session.userId, sessionId: session.id }, 'refresh_token_reused');
      await this.audit.record(transaction, { ...event, type: 'token.reuse_detected', data: { sessionId: session.id, rotatedAt: token.rotatedAt.toISOString() } }, origin);
      return { kind: 'reused' };
    }
    await manager.update(Session, { id: session.id }, { lastUsedAt: now });
    return { kind: 'valid', rotated: { session, refreshToken: current } };
  }

  /** Follows the rotations from the presented token to the session's current one, opening each sealed successor. */
  private async currentSecret(manager: EntityManager, from: RefreshToken, secret: string): Promise<string | undefined> {
    let token = from;
    let current = secret;
    for (let step = 0; token.rotatedAt && step < MAX_CHAIN_WALK; step++) {
      if (!token.replacementSealed || !token.replacedById) return undefined;
      const next = openSuccessor(token.replacementSealed, current);
      const successor = await manager.findOneBy(RefreshToken, { id: token.replacedById });
      if (next === undefined || !successor) return undefined;
      token = successor;
      current = next;
    }
    return token.rotatedAt ? undefined : current;
  }
}
