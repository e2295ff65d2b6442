import pino from 'pino';
import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import type { DatabaseNotifications, NotificationSubscriber } from '../database/database-notifications.service.js';
import type { DatabaseServer } from '../database/database-server.js';
import { DatabaseStartup } from '../database/database-startup.js';
import type { RevocationEntry } from './revocation-list.js';
import type { RevocationStore } from './revocation-store.js';
import { RevocationService } from './revocation.service.js';

/** A store whose loads of the live entries resolve when the test says so. */
function deferredStore() {
  const reads: Array<(entries: RevocationEntry[]) => void> = [];
  const store = { live: () => new Promise<RevocationEntry[]>((resolve) => reads.push(resolve)) } as unknown as RevocationStore;
  return { store, reads };
}

describe(RevocationService.name, () => {
  const principal = (sessionId: string): Principal => ({
    kind: 'user', clientId: 'portcullis',
    subject: 'u',
    userId: 'u',
    tenantId: 't',
    roles: ['user'],
    scopes: ['profile'],
    sessionId,
    tokenId: `jti-${sessionId}`,
    issuedAt: 1,
    expiresAt: 4_000_000_000,
  });

  it('holds back notifications during a reload and applies them after, also when reloads overlap', async () => {
    const { store, reads } = deferredStore();
    let subscriber!: NotificationSubscriber;
    const notifications = {
      subscribe: (_channel: string, given: NotificationSubscriber) => {
        subscriber = given;
        return Promise.resolve();
      },
      state: () => ({ current: true, lastHeartbeatMsAgo: 0 }),
    } as unknown as DatabaseNotifications;
    const sut = new RevocationService({} as DataSource, store, notifications, new DatabaseStartup({} as DatabaseServer, pino({ enabled: false })));

    const started = sut.onModuleInit();
    await new Promise((resolve) => setImmediate(resolve));
    subscriber.onNotification(JSON.stringify({ apply: [{ kind: 'session', key: 's-during', expiresAt: 4_000_000_000 }] }));
    const second = subscriber.onResync();
    reads[0]([{ kind: 'session', key: 's-loaded', expiresAt: 4_000_000_000 }]);
    await started;
    reads[1]([{ kind: 'session', key: 's-loaded', expiresAt: 4_000_000_000 }]);
    await second;
    sut.onApplicationShutdown();

    expect(sut.verdict(principal('s-loaded'))).toBe('token_revoked');
    expect(sut.verdict(principal('s-during'))).toBe('token_revoked');
    expect(sut.verdict(principal('s-other'))).toBeUndefined();
  });
});
