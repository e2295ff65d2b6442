import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditData, AuditEventType } from './audit-event-type.js';

/** Who did what to whom, when and from where; written in the transaction of the change it records. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `null` for platform events (a key rotation, a sign-in attempt at an unknown tenant). */
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  type!: AuditEventType;

  /** A user id, `client:<clientId>`, or `null` when nobody known acted. */
  @Column({ name: 'actor_id', type: 'varchar', length: 200, nullable: true })
  actorId!: string | null;

  /** The user, client, tenant or key the event is about. */
  @Column({ name: 'subject_id', type: 'varchar', length: 200, nullable: true })
  subjectId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  data!: AuditData;
}
