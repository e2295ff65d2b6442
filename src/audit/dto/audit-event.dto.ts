import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_EVENT_TYPES, type AuditData, type AuditEventType } from '../audit-event-type.js';
import type { AuditEvent } from '../audit-event.entity.js';

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '`null` for platform events' })
  tenantId!: string | null;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES, example: 'login.failed' })
  type!: AuditEventType;

  @ApiProperty({ type: String, nullable: true, description: 'A user id or `client:<clientId>`; `null` when nobody known acted', example: '9f18afc4-acdf-4c10-9a5d-e24b1e6ecafe' })
  actorId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The user, client, tenant or key the event is about', example: '3f85f64e-5717-4562-b3fc-2c963f66afa6' })
  subjectId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: '`null` in a tenant’s view of a platform operator’s event (a superadmin’s, the CLI’s)' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', description: '`null` in a tenant’s view of a platform operator’s event' })
  userAgent!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { reason: 'logout' } })
  data!: AuditData;

  /**
   * The event as `viewer` may see it: a platform operator's address and user agent are the
   * platform's, never shown to a tenant's admins or clients (only to a platform caller).
   */
  static from(event: AuditEvent, viewer: { platform: boolean }): AuditEventDto {
    const origin = event.platformOperatorOrigin && !viewer.platform ? { ip: null, userAgent: null } : { ip: event.ip, userAgent: event.userAgent };
    return {
      id: event.id,
      tenantId: event.tenantId,
      type: event.type,
      actorId: event.actorId,
      subjectId: event.subjectId,
      ...origin,
      at: event.at.toISOString(),
      data: event.data,
    };
  }
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] })
  items!: AuditEventDto[];

  @ApiProperty({ type: 'integer', example: 1 })
  total!: number;
}
