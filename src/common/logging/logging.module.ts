import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';

/** The injection token of the root pino logger: for lines that must be written before Nest's own logger is ready. */
export const ROOT_LOGGER = 'ROOT_LOGGER';

/** Makes the application's root pino logger (see createRootLogger) injectable everywhere. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: ROOT_LOGGER, useValue: logger }], exports: [ROOT_LOGGER] };
  }
}
