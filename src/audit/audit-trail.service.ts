import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/http/request-context.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { AuditData, AuditEventType } from './audit-event-type.js';

export interface NewAuditEvent {
  type: AuditEventType;
  tenantId: string | null;
  actorId: string | null;
  subjectId: string | null;
  data?: AuditData;
}

/** SQL expressions, over the rows of a statement's source, for each column of an event. */
export interface AuditEventColumns {
  tenantId: string;
  type: AuditEventType;
  actorId: string;
  subjectId: string;
  ip: string;
  userAgent: string;
  /** A `jsonb` expression. */
  data: string;
}

const INSERT_INTO = 'INSERT INTO audit_events (tenant_id, type, actor_id, subject_id, ip, user_agent, data)';

/**
 * Writes audit events, always inside the transaction of the change they record: the change and
 * its event commit or roll back together.
 */
@Injectable()
export class AuditTrail {
  async record(transaction: Transaction, event: NewAuditEvent, origin?: RequestContext): Promise<void> {
    await transaction.manager.query(`${INSERT_INTO} VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      event.tenantId,
      event.type,
      event.actorId,
      event.subjectId,
      origin?.ip ?? null,
      origin?.userAgent ?? null,
      JSON.stringify(event.data ?? {}),
    ]);
  }

  /**
   * The statement that records an event for each row of `source`, for a change made with its
   * event in one statement (a data-modifying `WITH`, one round trip): the event still commits or
   * rolls back with the change, and its shape is still this class's.
   */
  static recordEach(source: string, columns: AuditEventColumns): string {
    const type = `'${columns.type}'`;
    return `${INSERT_INTO} SELECT ${columns.tenantId}, ${type}, ${columns.actorId}, ${columns.subjectId}, ${columns.ip}, ${columns.userAgent}, ${columns.data} FROM ${source}`;
  }
}
