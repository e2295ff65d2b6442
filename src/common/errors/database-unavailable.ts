import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError } from './domain.error.js';

/** What a 503 caused by the database tells clients to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket-level failures Node reports while connecting to or talking with the server. */
const NETWORK_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say "the server cannot serve you right now", not "your statement is wrong":
 * class 08 (connection exception), class 53 (insufficient resources: too many connections, out
 * of memory or disk), 57P01-57P03 and 57P05 (administrator or crash shutdown, still starting up,
 * idle session timeout), 57014 (cancelled: the statement timeout), 55P03 (lock timeout), class 58
 * (the server's own I/O errors) and 25006 (a read-only server: a replica in the middle of a
 * failover).
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    code.startsWith('58') ||
    ['57P01', '57P02', '57P03', '57P05', '57014', '55P03', '25006'].includes(code)
  );
}

/**
 * The errors node-postgres and pg-pool raise without any code, recognizable only by their text:
 * a connection that ended or timed out (`timeout expired` is a lone client's connect timeout,
 * which a pool reports as `Connection terminated due to connection timeout`), a full pool that
 * gave no client in time, a client-side query timeout, and a pool already ended (the service is
 * shutting down).
 */
const DRIVER_MESSAGES =
  /^(Connection terminated|timeout expired$|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)/;

/**
 * The error itself, then what it wraps: TypeORM's `driverError`, `cause`, an AggregateError's
 * `errors` (Node's, for a host with several addresses). Shapes, not `instanceof`, for what Node
 * itself creates: its errors come from another realm than the code under Jest's VM modules.
 */
function* chain(error: unknown, depth = 0): Generator<object> {
  if (error === null || typeof error !== 'object' || depth > 5) return;
  yield error;
  if (error instanceof QueryFailedError) yield* chain(error.driverError, depth + 1);
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner)) for (const each of inner) yield* chain(each, depth + 1);
  if ('cause' in error) yield* chain(error.cause, depth + 1);
}

function messageOf(error: object): string | undefined {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

function isConnectionLevel(error: object): boolean {
  // A transaction whose connection dies between two statements: TypeORM releases its query runner
  // on the connection's error event, and the next statement fails with this instead. (A bug using
  // a finished transaction's manager fails alike; the filter logs the reason of every such 503.)
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_ERRNOS.has(code) || isUnavailableSqlState(code))) return true;
  return DRIVER_MESSAGES.test(messageOf(error) ?? '');
}

/**
 * Whether `error` means the database is unreachable, shutting down, overloaded or too slow,
 * rather than a fault of the request or of the code: such a failure is answered 503
 * `service_unavailable` with `Retry-After`, never 500. The one place that knows the shapes these
 * errors come in (node-postgres, pg-pool, TypeORM's wrapping of them).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of chain(error)) if (isConnectionLevel(link)) return true;
  return false;
}

/** The contract's 503 for a database failure, or undefined when `error` is something else. */
export function databaseUnavailableError(error: unknown): DomainError | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  return new DomainError('service_unavailable', 'The database is unavailable; try again shortly', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
}

/** The underlying driver message, for a log line (never sent to clients). */
export function databaseFailureReason(error: unknown): string {
  const messages: string[] = [];
  for (const link of chain(error)) {
    const message = messageOf(link);
    if (message && !messages.includes(message)) messages.push(message);
  }
  return messages.join(': ') || String(error);
}
