import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventsController } from './audit-events.controller.js';
import { AuditEventsService } from './audit-events.service.js';
import { AuditTrail } from './audit-trail.service.js';

/** The audit log: `AuditTrail` writes events in the transactions of other modules; the controller reads them. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditEventsController],
  providers: [AuditTrail, AuditEventsService],
  exports: [AuditTrail],
})
export class AuditModule {}
