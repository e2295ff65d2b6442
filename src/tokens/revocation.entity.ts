import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * What makes still-unexpired access tokens unusable:
 * - `session`: every token carrying this `sid`;
 * - `token`: the token with this `jti`;
 * - `subject`: tokens of this `sub` issued at or before `notBefore`;
 * - `tenant`: every token of this tenant (a disabled tenant; no expiry, lifted when enabled);
 * - `tenant_tokens`: tokens of this tenant issued at or before `notBefore` (those of a tenant
 *   once disabled: they stay dead when it is enabled again).
 * An entry is dropped once every token it covers would have expired anyway.
 */
export type RevocationKind = 'session' | 'token' | 'subject' | 'tenant' | 'tenant_tokens';

@Entity({ name: 'revocations' })
export class Revocation {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind!: RevocationKind;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ name: 'not_before', type: 'timestamptz', nullable: true })
  notBefore!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
