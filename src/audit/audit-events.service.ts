import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AuditEventType } from './audit-event-type.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditEventFilter {
  /** A tenant's events; `undefined` (superadmins only): every tenant's, and the platform's. */
  tenantId?: string;
  type?: AuditEventType;
  actorId?: string;
  subjectId?: string;
  since?: Date;
  until?: Date;
}

/** Reads the audit log, newest first. */
@Injectable()
export class AuditEventsService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  search(filter: AuditEventFilter, limit: number, offset: number): Promise<[AuditEvent[], number]> {
    const query = this.events.createQueryBuilder('event');
    if (filter.tenantId !== undefined) query.andWhere('event.tenantId = :tenantId', { tenantId: filter.tenantId });
    if (filter.type !== undefined) query.andWhere('event.type = :type', { type: filter.type });
    if (filter.actorId !== undefined) query.andWhere('event.actorId = :actorId', { actorId: filter.actorId });
    if (filter.subjectId !== undefined) query.andWhere('event.subjectId = :subjectId', { subjectId: filter.subjectId });
    if (filter.since !== undefined) query.andWhere('event.at >= :since', { since: filter.since });
    if (filter.until !== undefined) query.andWhere('event.at < :until', { until: filter.until });
    return query.orderBy('event.at', 'DESC').addOrderBy('event.id', 'DESC').take(limit).skip(offset).getManyAndCount();
  }
}
