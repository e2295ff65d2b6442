import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';

/**
 * The process's one pino logger: Fastify logs requests through it and Nest's own log lines go to
 * it too (PinoNestLogger), as structured JSON. Standard output unless a destination is given
 * (the tests read what would be logged). Request lines carry Fastify's request serializer's
 * fields, never headers, so credentials have no way in.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  return destination ? pino({ level: config.logLevel }, destination) : pino({ level: config.logLevel });
}
