import { parseDurationSeconds } from './duration.js';

/** What `jsonwebtoken` (under `@nestjs/jwt` and `passport-jwt`) signs and verifies; it has no EdDSA. */
export const JWT_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Fastify's `trustProxy`: `false` (the socket's peer is the client), a hop count, or the addresses and CIDRs of the proxies in front. */
export type TrustProxy = false | number | string[];

export interface AppConfig {
  port: number;
  /** `/metrics` and `/health` without a token on a listener of their own, for a private network; unset: none. */
  managementPort?: number;
  trustProxy: TrustProxy;
  logLevel: LogLevel;
  corsOrigins: string[];
  database: {
    /** Unset: the service runs an embedded PostgreSQL under `dataDir`. */
    url?: string;
    dataDir: string;
  };
  jwt: {
    algorithm: JwtAlgorithm;
    secret?: string;
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
  };
  session: {
    refreshTokenTtlSeconds: number;
    refreshReuseGraceSeconds: number;
    /** Live sessions a user may hold; a new sign-in ends the least recently used beyond it. */
    maxPerUser: number;
  };
  password: {
    bcryptCost: number;
    /**
     * bcrypt computations at once: one fewer than libuv's thread pool (`UV_THREADPOOL_SIZE`, 4
     * by default), so a thread stays free for the pool's other work (new database connections'
     * SCRAM key derivation, file writes, DNS) while sign-ins queue.
     */
    concurrentHashes: number;
  };
  login: {
    /** Failed password checks of one account from one client that lock it for that client. */
    maxFailures: number;
    /** Failed password checks of one account from all clients that lock it for clients it has not seen sign in. */
    maxFailuresAccount: number;
    lockoutSeconds: number;
    rateLimitPerMinute: number;
  };
  audit: {
    retentionSeconds: number;
  };
  bootstrapAdmin: {
    email?: string;
    password?: string;
  };
  metrics: {
    /** `GET /metrics` without a token (`METRICS_PUBLIC=true`), for a scraper on a private network. */
    public: boolean;
  };
}

export type Environment = Record<string, string | undefined>;

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? `Invalid configuration: ${problems[0]}` : `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/**
 * Reads and validates every setting of the contract's configuration table.
 * Throws one error naming every problem, so a misconfigured service refuses to start.
 */
export function loadAppConfig(env: Environment): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const duration = (name: string, fallback: string, minSeconds: number): number => {
    const raw = read(name) ?? fallback;
    const seconds = parseDurationSeconds(raw);
    if (seconds === undefined || seconds < minSeconds) {
      problems.push(`${name} must be a duration of at least ${minSeconds}s such as 30s, 15m, 12h or 30d (got "${raw}")`);
      return parseDurationSeconds(fallback) ?? 0;
    }
    return seconds;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') {
      problems.push(`${name} must be true or false (got "${raw}")`);
      return fallback;
    }
    return raw === 'true';
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const managementPort = read('MANAGEMENT_PORT') === undefined ? undefined : integer('MANAGEMENT_PORT', 0, 1, 65535);
  if (managementPort !== undefined && managementPort === port) problems.push('MANAGEMENT_PORT must differ from PORT');
  const algorithm = oneOf('JWT_ALG', JWT_ALGORITHMS, 'ES256');
  const secret = read('JWT_SECRET');
  if (algorithm === 'HS256' && (secret === undefined || Buffer.byteLength(secret, 'utf8') < 32)) {
    problems.push('JWT_ALG=HS256 needs JWT_SECRET of at least 32 bytes');
  }

  const trustProxy = parseTrustProxy(read('TRUST_PROXY'), problems);

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const bootstrapEmail = read('BOOTSTRAP_ADMIN_EMAIL');
  const bootstrapPassword = read('BOOTSTRAP_ADMIN_PASSWORD');
  if ((bootstrapEmail === undefined) !== (bootstrapPassword === undefined)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD are set together or not at all');
  }
  if (bootstrapPassword !== undefined && (bootstrapPassword.length < 8 || bootstrapPassword.length > 128)) {
    problems.push('BOOTSTRAP_ADMIN_PASSWORD must be 8 to 128 characters');
  }

  const config: AppConfig = {
    port,
    managementPort,
    trustProxy,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    corsOrigins: (read('CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    database: { url: databaseUrl, dataDir: read('DATA_DIR') ?? './.data' },
    jwt: {
      algorithm,
      secret,
      issuer: read('JWT_ISSUER') ?? `http://localhost:${port}`,
      audience: read('JWT_AUDIENCE') ?? 'portcullis',
      accessTokenTtlSeconds: duration('ACCESS_TOKEN_TTL', '15m', 1),
    },
    session: {
      refreshTokenTtlSeconds: duration('REFRESH_TOKEN_TTL', '30d', 1),
      refreshReuseGraceSeconds: duration('REFRESH_REUSE_GRACE', '10s', 0),
      maxPerUser: integer('MAX_SESSIONS_PER_USER', 100, 1, 10_000),
    },
    password: { bcryptCost: integer('BCRYPT_COST', 12, 4, 15), concurrentHashes: Math.max(1, integer('UV_THREADPOOL_SIZE', 4, 1, 1024) - 1) },
    login: {
      maxFailures: integer('LOGIN_MAX_FAILURES', 5, 1, 1000),
      maxFailuresAccount: integer('LOGIN_MAX_FAILURES_ACCOUNT', 50, 1, 1000),
      lockoutSeconds: duration('LOGIN_LOCKOUT', '15m', 1),
      rateLimitPerMinute: integer('AUTH_RATE_LIMIT', 20, 1, 100000),
    },
    audit: { retentionSeconds: duration('AUDIT_RETENTION', '90d', 60) },
    bootstrapAdmin: { email: bootstrapEmail?.toLowerCase(), password: bootstrapPassword },
    metrics: { public: boolean('METRICS_PUBLIC', false) },
  };
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return config;
}

const IPV4_OR_CIDR = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_OR_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/;

/** `TRUST_PROXY`: unset, a hop count, or comma-separated addresses and CIDRs of the proxies in front. */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
  } else {
    const proxies = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
    if (proxies.length > 0 && proxies.every((item) => IPV4_OR_CIDR.test(item) || IPV6_OR_CIDR.test(item))) return proxies;
  }
  problems.push(`TRUST_PROXY must be a hop count from 1 to 10 or comma-separated proxy addresses or CIDRs (got "${raw}")`);
  return false;
}

/** The process environment, with a `.env` file in the working directory read first when present. */
export function readProcessEnvironment(): Environment {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { ...process.env };
}
