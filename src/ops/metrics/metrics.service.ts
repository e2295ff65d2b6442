import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { poolOf } from '../../database/prepared-statement.js';

/** How a password sign-in ended: `failed` a wrong password, `locked` the wrong password that locked the account, `refused` a right password refused all the same (disabled, invalid scope). */
export type SignInOutcome = 'succeeded' | 'failed' | 'locked' | 'refused';

/** The route label of a request no route matched: raw URLs never become labels (unbounded, and they may carry secrets). */
export const UNMATCHED_ROUTE = '(unmatched)';

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics, on a registry of its own (one per application instance,
 * never prom-client's global one). Every label takes a bounded set of values: route patterns,
 * status codes, outcomes, revocation kinds; never an id, an email or a URL as sent.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'portcullis_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly requestDuration = new Histogram({
    name: 'portcullis_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  private readonly signIns = new Counter({
    name: 'portcullis_sign_ins_total',
    help: 'Password sign-in attempts, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly refreshes = new Counter({
    name: 'portcullis_token_refreshes_total',
    help: 'Refresh tokens exchanged for a new pair',
    registers: [this.registry],
  });

  private readonly reuses = new Counter({
    name: 'portcullis_refresh_token_reuse_detected_total',
    help: 'Rotated refresh tokens presented again (each revokes its session)',
    registers: [this.registry],
  });

  private readonly revocations = new Counter({
    name: 'portcullis_revocations_total',
    help: 'Revocations committed by this instance, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly lockouts = new Counter({
    name: 'portcullis_lockouts_total',
    help: 'Accounts locked after too many failed password checks',
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    const pool = (): Pool | undefined => poolOf(dataSource);
    const registers = [this.registry];
    new Gauge({
      name: 'portcullis_db_pool_connections',
      help: 'Connections of the database pool, by state (total, idle)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const current = pool();
        this.set({ state: 'total' }, current?.totalCount ?? 0);
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
      },
    });
    new Gauge({
      name: 'portcullis_db_pool_waiting_requests',
      help: 'Queries waiting for a free connection of the database pool',
      registers,
      collect() {
        this.set(pool()?.waitingCount ?? 0);
      },
    });
  }

  /** One answered request; `route` is the matched pattern (or `UNMATCHED_ROUTE`). */
  request(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.requestDuration.observe(labels, seconds);
  }

  signIn(outcome: SignInOutcome): void {
    this.signIns.inc({ outcome });
  }

  refreshed(): void {
    this.refreshes.inc();
  }

  reuseDetected(): void {
    this.reuses.inc();
  }

  /** `kinds`: what each revocation names (a session, a token, a subject, a tenant), the counter's `kind` label. */
  revoked(kinds: readonly string[]): void {
    for (const kind of kinds) this.revocations.inc({ kind });
  }

  lockedOut(): void {
    this.lockouts.inc();
  }

  /** The exposition, in Prometheus' text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
