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

  /**
   * Whether `ip` and `userAgent` are a platform operator's (the actor was the CLI or a superadmin,
   * or, with no actor, the subject is a superadmin): a tenant's view shows them as `null`. Set by
   * the database as the event is written (a trigger), whatever the writer says.
   */
  @Column({ name: 'platform_operator_origin', type: 'boolean', default: false, insert: false, update: false })
  platformOperatorOrigin!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  data!: AuditData;
}
