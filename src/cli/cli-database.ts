import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import {
  CONNECTION_FILE,
  embeddedPostgresHolder,
  EmbeddedPostgresInUseError,
  EmbeddedPostgresServer,
} from '../database/embedded-postgres-server.js';
import { CliError, EXIT } from './cli-error.js';

/** How long a command waits for an instance that is starting its embedded PostgreSQL. */
const INSTANCE_START_WAIT_MS = 60_000;
const POLL_MS = 250;

/** The database a command works on, and what to do once it is done. */
export interface CliDatabase {
  url: string;
  /** Stops the embedded server the command started itself (nothing otherwise). */
  release: () => Promise<void>;
}

const nothingToRelease = (): Promise<void> => Promise.resolve();

/**
 * `DATABASE_URL` when set. Otherwise the embedded PostgreSQL under `DATA_DIR`: the one a running
 * instance serves from, found through the connection file it keeps there (waiting while that
 * instance is still starting it), or, when none runs, one started here for this command alone.
 */
export async function cliDatabase(database: AppConfig['database'], logger: Logger): Promise<CliDatabase> {
  if (database.url !== undefined) return { url: database.url, release: nothingToRelease };
  const connectionFile = join(resolve(database.dataDir), CONNECTION_FILE);
  const giveUpAt = Date.now() + INSTANCE_START_WAIT_MS;
  for (;;) {
    const holder = await readHolder(database.dataDir);
    if (holder === undefined) {
      const own = await startOwn(database.dataDir, logger);
      if (own !== undefined) return own;
      // Claimed by another process meanwhile: look again.
    } else if (holder.startedBy === 'cli') {
      throw new CliError(`Another portcullis command (pid ${holder.pid}) is using the embedded PostgreSQL under ${database.dataDir}.`, {
        exitCode: EXIT.environment,
        code: 'database_in_use',
        fix: 'Run this command again once that one has finished.',
      });
    } else if (holder.connection !== undefined) {
      logger.debug({ context: 'CliDatabase' }, `Using the embedded PostgreSQL of the running instance (pid ${holder.pid}), as ${connectionFile} says`);
      return { url: holder.connection.url, release: nothingToRelease };
    }
    if (Date.now() > giveUpAt) {
      throw new CliError(`The instance (pid ${holder?.pid ?? 'unknown'}) running on ${database.dataDir} has not finished starting its embedded PostgreSQL in ${INSTANCE_START_WAIT_MS / 1000} s.`, {
        exitCode: EXIT.environment,
        code: 'database_unavailable',
        fix: `Look at that instance's log. If no instance runs on this DATA_DIR, remove ${connectionFile} and run the command again.`,
      });
    }
    await sleep(POLL_MS);
  }
}

async function readHolder(dataDir: string): ReturnType<typeof embeddedPostgresHolder> {
  try {
    return await embeddedPostgresHolder(dataDir);
  } catch (error) {
    // The connection file is there but cannot be read: another user's.
    throw new CliError((error as Error).message, { exitCode: EXIT.environment, code: 'database_unavailable' });
  }
}

/** An embedded server for this command alone; `undefined` when another process claimed the cluster first. */
async function startOwn(dataDir: string, logger: Logger): Promise<CliDatabase | undefined> {
  const server = new EmbeddedPostgresServer(dataDir, {
    debug: (message) => logger.debug({ context: 'EmbeddedPostgres' }, message),
    warn: (message) => logger.warn({ context: 'EmbeddedPostgres' }, message),
  }, 'cli');
  try {
    return { url: await server.start(), release: () => server.stop() };
  } catch (error) {
    if (error instanceof EmbeddedPostgresInUseError) return undefined;
    throw new CliError((error as Error).message, {
      exitCode: EXIT.environment,
      code: 'database_unavailable',
      fix: 'Put that right (or set DATABASE_URL to a PostgreSQL of your own) and run the command again.',
    });
  }
}
