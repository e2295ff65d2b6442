import pino, { type Logger } from 'pino';
import { PinoNestLogger } from '../common/logging/pino-nest-logger.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * The CLI's logger: the service's log format (pino's JSON lines) on standard error, so that
 * standard output holds only the command's result. `LOG_LEVEL` as the service reads it, except
 * that its default, `info`, is `warn` here: a command's start-up is not news, the migrations' and
 * the database's problems are. `debug` shows the stack trace of an unexpected failure.
 */
export function createCliLogger(logLevel: AppConfig['logLevel'] = 'info'): Logger {
  return pino({ level: logLevel === 'info' ? 'warn' : logLevel }, pino.destination({ dest: 2, sync: true }));
}

/**
 * Nest's log lines through the CLI's logger, except Nest's own report of an error that stopped
 * the application context from starting (a stack trace): the CLI reports that error itself,
 * cause first.
 */
export class CliNestLogger extends PinoNestLogger {
  override error(message: unknown, ...params: unknown[]): void {
    if (params.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...params);
  }
}
