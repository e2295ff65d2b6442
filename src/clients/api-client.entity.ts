import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../access/roles-and-scopes.js';

/**
 * RFC 6749 §2.1: a `confidential` client holds a secret (kept only as a hash) and may use every
 * grant; a `public` one (a single-page or native app) holds none, and names itself.
 */
export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** An OAuth client of a tenant. */
@Entity({ name: 'api_clients' })
export class ApiClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: ClientType;

  /** What a confidential client may get for itself by `client_credentials`; empty for a public client. */
  @Column({ type: 'text', array: true })
  scopes!: Scope[];

  @Column({ name: 'secret_hash', type: 'bytea', select: false, nullable: true })
  secretHash!: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
