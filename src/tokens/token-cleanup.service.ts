import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ADVISORY_LOCK } from '../database/advisory-locks.js';
import { CLOCK_TOLERANCE_SECONDS } from './access-token-format.js';

const CLEANUP_INTERVAL_MS = 10 * 60_000;
/** Revoked sessions are kept a while for whoever looks into an incident, then go. */
const REVOKED_SESSION_RETENTION_DAYS = 7;

export interface CleanupReport {
  sessions: number;
  seals: number;
  revocations: number;
  signingKeys: number;
  rateLimits: number;
  loginAttempts: number;
  auditEvents: number;
}

/**
 * Keeps the token tables from growing without bound: expired or long-revoked sessions (their
 * refresh tokens go with them), sealed successors past the grace window, expired revocation
 * entries and retired keys whose tokens have all expired; and, beside them, spent rate-limit
 * windows, lockout counts past their window, and audit events older than `AUDIT_RETENTION`.
 * One instance at a time does it.
 */
@Injectable()
export class TokenCleanupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenCleanupService.name);
  private timer?: NodeJS.Timeout;
  private readonly graceSeconds: number;
  private readonly retiredKeySeconds: number;
  private readonly lockoutSeconds: number;
  private readonly auditRetentionSeconds: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.graceSeconds = config.get('session', { infer: true }).refreshReuseGraceSeconds;
    this.retiredKeySeconds = config.get('jwt', { infer: true }).accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS;
    this.lockoutSeconds = config.get('login', { infer: true }).lockoutSeconds;
    this.auditRetentionSeconds = config.get('audit', { infer: true }).retentionSeconds;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => this.logger.warn(`Cleanup failed: ${String(error)}`));
    }, CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs one cleanup; answers what it removed, or undefined when another instance is at it. */
  async purgeExpired(): Promise<CleanupReport | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<[{ locked: boolean }]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCK.cleanup]);
      if (!locked) return undefined;
      const count = async (sql: string, parameters: unknown[] = []): Promise<number> => {
        // For UPDATE and DELETE the postgres driver answers [rows, affected row count].
        const [, affected] = await manager.query<[unknown, number]>(sql, parameters);
        return affected;
      };
      const report: CleanupReport = {
        sessions: await count(
          `DELETE FROM sessions WHERE expires_at < now() OR revoked_at < now() - make_interval(days => $1)`,
          [REVOKED_SESSION_RETENTION_DAYS],
        ),
        seals: await count(
          `UPDATE refresh_tokens SET replacement_sealed = NULL WHERE replacement_sealed IS NOT NULL AND rotated_at < now() - make_interval(secs => $1)`,
          [this.graceSeconds],
        ),
        revocations: await count(`DELETE FROM revocations WHERE expires_at < now()`),
        // Measured with the longest access-token lifetime of any instance, not this one's.
        signingKeys: await count(
          `DELETE FROM signing_keys WHERE retired_at < now() - make_interval(secs => GREATEST($1, (SELECT longest_ttl_seconds FROM access_token_lifetime) + $2))`,
          [this.retiredKeySeconds, CLOCK_TOLERANCE_SECONDS],
        ),
        rateLimits: await count(`DELETE FROM rate_limits WHERE expires_at <= now()`),
        loginAttempts: await count(
          // Untouched for a whole window: every failure in it is forgotten and every lock over.
          `DELETE FROM login_attempts WHERE updated_at < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until < now())`,
          [this.lockoutSeconds],
        ),
        auditEvents: await count(`DELETE FROM audit_events WHERE at < now() - make_interval(secs => $1)`, [this.auditRetentionSeconds]),
      };
      if (Object.values(report).some((removed) => removed > 0)) this.logger.log(`Cleanup removed ${JSON.stringify(report)}`);
      return report;
    });
  }
}
