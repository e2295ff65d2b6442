import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';

/**
 * The process's one pino logger: Fastify logs requests through it and Nest's own log lines go to
 * it too (PinoNestLogger), as structured JSON. Standard output unless a destination is given
 * (the tests read what would be logged). Request lines carry only the fields RequestLogController
 * picks, never headers, so credentials have no way in.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>, destination: DestinationStream = standardOutput()): Logger {
  return pino({ level: config.logLevel }, destination);
}

/**
 * Standard output, written asynchronously: a line goes out at once when nothing is being
 * written, and lines that arrive while a write is under way go out together with the next one,
 * so a busy instance makes one write for many requests rather than one each. What is buffered
 * is flushed on exit (SIGTERM included); only a kill -9 or a power cut can lose the last lines.
 */
function standardOutput(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
