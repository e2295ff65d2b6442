import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { databaseFailureReason, isDatabaseUnavailable } from '../common/errors/database-unavailable.js';
import { ROOT_LOGGER } from '../common/logging/logging.module.js';
import { DatabaseServer } from './database-server.js';

/**
 * How long a starting instance waits, all its start-up steps together, for a database that
 * refuses, times out or is still starting: an instance often starts before its database does, or
 * beside it on a loaded machine.
 */
export const DATABASE_STARTUP_WAIT_MS = 60_000;
const FIRST_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 5_000;
const LOG_CONTEXT = 'DatabaseStartup';

/** Where a database URL points, without its credentials: for log lines. */
function whereIs(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The database stayed unreachable for the whole start-up wait: the service cannot start. */
export class DatabaseUnreachableAtStartup extends Error {
  override readonly name = 'DatabaseUnreachableAtStartup';
}

/**
 * The start-up steps that need the database (migrations, opening the pool and the LISTEN
 * connection, the first loads), each retried while the database is unreachable, with backoff from
 * 1 s to 5 s, until `DATABASE_STARTUP_WAIT_MS` after the first attempt of the first step. Every
 * failed attempt is one log line (the step, the attempt, the reason, the next wait); a failure
 * that is not the database being unreachable (a wrong password, a broken migration) ends the start
 * at once.
 *
 * Logged through the root pino logger directly, so that the lines come out as they happen even
 * where Nest's own logger is still buffered (the CLI's application context).
 */
@Injectable()
export class DatabaseStartup {
  private giveUpAt?: number;

  constructor(
    private readonly server: DatabaseServer,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs `step` (named for the log, e.g. "running the migrations") until it succeeds, or until the wait is spent. */
  async retry<T>(step: string, attempt: () => Promise<T>): Promise<T> {
    const title = capitalized(step);
    this.giveUpAt ??= Date.now() + DATABASE_STARTUP_WAIT_MS;
    const startedAt = Date.now();
    for (let count = 1, delayMs = FIRST_RETRY_DELAY_MS; ; count++, delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS)) {
      try {
        const result = await attempt();
        if (count > 1) this.logger.info({ context: LOG_CONTEXT }, `${title}: succeeded at attempt ${count}, ${seconds(Date.now() - startedAt)} after the first`);
        return result;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        const where = whereIs(await this.server.connectionUrl());
        const reason = databaseFailureReason(error);
        const leftMs = this.giveUpAt - Date.now();
        if (leftMs < delayMs) {
          this.logger.error({ context: LOG_CONTEXT }, `${title}: attempt ${count} failed (${reason}); giving up, the ${DATABASE_STARTUP_WAIT_MS / 1000} s start-up wait is spent`);
          throw new DatabaseUnreachableAtStartup(
            `the database at ${where} was not reachable within ${DATABASE_STARTUP_WAIT_MS / 1000} s (${reason}; ${step}, attempt ${count}). ` +
              'Check that PostgreSQL is running, that DATABASE_URL points at it, and that it accepts connections from here.',
            { cause: error },
          );
        }
        this.logger.warn(
          { context: LOG_CONTEXT },
          `${title}: attempt ${count} on ${where} failed (${reason}); next attempt in ${seconds(delayMs)}, giving up in ${Math.ceil(leftMs / 1000)} s`,
        );
        await sleep(delayMs);
      }
    }
  }
}
