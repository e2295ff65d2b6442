import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { TurnBatchedOutput } from './turn-batched-output.js';

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
 * Standard output, written synchronously (sonic-boom: partial writes, EAGAIN, flushed on exit) a
 * turn of the event loop at a time, as pino's own default is synchronous: a reader that falls
 * behind holds the service back rather than letting a buffer grow without bound, and a kill -9
 * loses at most the lines of the turn under way. sonic-boom's asynchronous mode cost about 4 µs
 * a request more (`npm run bench`, scenario 1): one write through libuv's thread pool for every
 * line or two, and the byte length of its growing chunk counted again for every line.
 */
function standardOutput(): DestinationStream {
  return new TurnBatchedOutput(pino.destination({ dest: 1, sync: true }));
}
