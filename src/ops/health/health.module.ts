import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { NotificationsHealthIndicator } from './notifications.health.js';
import { ServiceHealth } from './service-health.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, NotificationsHealthIndicator, ServiceHealth],
  exports: [ServiceHealth],
})
export class HealthModule {}
