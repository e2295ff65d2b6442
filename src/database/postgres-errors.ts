import { QueryFailedError } from 'typeorm';

/** The SQLSTATE of a server error, whether TypeORM wrapped it or node-postgres raised it as is. */
export function sqlStateOf(error: unknown): string | undefined {
  const raw: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const code = raw !== null && typeof raw === 'object' ? (raw as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** PostgreSQL's unique_violation (23505): the row would duplicate a unique key. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}
