import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { ManagementServer } from './management-server.js';

/** The management interface's server; it listens only when the application factory starts it (`MANAGEMENT_PORT`). */
@Module({
  imports: [HealthModule],
  providers: [ManagementServer],
})
export class ManagementModule {}
