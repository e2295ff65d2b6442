import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventsController } from './audit-events.controller.js';
import { AuditEventsService } from './audit-events.service.js';
import { AuditTrail } from './audit-trail.service.js';
import { ExpiredAuditEventsPurger } from './expired-audit-events.purger.js';

/** The audit log: `AuditTrail` writes events in the transactions of other modules; the controller reads them. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditEventsController],
  providers: [AuditTrail, AuditEventsService, ExpiredAuditEventsPurger],
  exports: [AuditTrail],
})
export class AuditModule {}
