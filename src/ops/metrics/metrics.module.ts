import { type DynamicModule, Global, Module } from '@nestjs/common';
import { MetricsController, PublicMetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/**
 * Metrics for the whole application: global, so that the services counting business events
 * inject `MetricsService` without their modules importing this one. The route's policy is
 * chosen here from the configuration, by registering one of two controllers whose decorators
 * state it: each controller's access stays static and visible to the route table and Swagger.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: { public: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [options.public ? PublicMetricsController : MetricsController],
      providers: [MetricsService],
      exports: [MetricsService],
    };
  }
}
