import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../access/roles-and-scopes.js';

export type SessionRevocationReason =
  | 'logout'
  | 'logout_all'
  | 'password_change'
  | 'session_deleted'
  | 'token_revoked'
  | 'refresh_token_reused'
  | 'user_disabled'
  | 'user_deleted'
  | 'admin_revoked'
  | 'tenant_disabled'
  | 'session_limit';

/** One sign-in of a user (the `sid` of its tokens), carrying a family of rotating refresh tokens. */
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: SessionRevocationReason | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /** The OAuth client its refresh tokens were issued to (`portcullis` for the service's own sign-ins); only that client refreshes them. */
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  /** The scopes granted at sign-in; refreshes never widen them. */
  @Column({ type: 'text', array: true })
  scopes!: Scope[];
}
