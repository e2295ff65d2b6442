import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Scope } from '../auth/roles-and-scopes.js';
import type { RequestContext } from '../common/http/request-context.js';
import type { AppConfig } from '../config/app-config.js';
import { RefreshToken } from './refresh-token.entity.js';
import { generateRefreshTokenSecret, hashRefreshTokenSecret } from './refresh-token-secret.js';
import { Session } from './session.entity.js';

export interface StartedSession {
  sessionId: string;
  refreshToken: string;
}

@Injectable()
export class SessionsService {
  private readonly refreshTokenTtlSeconds: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.refreshTokenTtlSeconds = config.get('session', { infer: true }).refreshTokenTtlSeconds;
  }

  /** Opens a session for a user who just proved who they are, with its first refresh token. */
  async start(user: { id: string; tenantId: string }, scopes: Scope[], context: RequestContext): Promise<StartedSession> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.refreshTokenTtlSeconds * 1000);
    const refreshToken = generateRefreshTokenSecret();
    const sessionId = await this.dataSource.transaction(async (manager) => {
      const session = await manager.getRepository(Session).save({
        tenantId: user.tenantId,
        userId: user.id,
        lastUsedAt: now,
        expiresAt,
        userAgent: context.userAgent ?? null,
        ip: context.ip,
        scopes,
      });
      await manager.getRepository(RefreshToken).insert({
        sessionId: session.id,
        tokenHash: hashRefreshTokenSecret(refreshToken),
        expiresAt,
      });
      return session.id;
    });
    return { sessionId, refreshToken };
  }
}
