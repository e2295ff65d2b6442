import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../common/http/request-context.js';
import type { AuditData, AuditEventType } from './audit-event-type.js';

export interface NewAuditEvent {
  type: AuditEventType;
  tenantId: string | null;
  actorId: string | null;
  subjectId: string | null;
  data?: AuditData;
}

/**
 * Writes audit events, always inside the transaction of the change they record (the caller's
 * `manager`): the change and its event commit or roll back together.
 */
@Injectable()
export class AuditTrail {
  async record(manager: EntityManager, event: NewAuditEvent, origin?: RequestContext): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (tenant_id, type, actor_id, subject_id, ip, user_agent, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [event.tenantId, event.type, event.actorId, event.subjectId, origin?.ip ?? null, origin?.userAgent ?? null, JSON.stringify(event.data ?? {})],
    );
  }
}
