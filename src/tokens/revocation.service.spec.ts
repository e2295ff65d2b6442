import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal.js';
import type { DatabaseNotifications, NotificationSubscriber } from '../database/database-notifications.service.js';
import { RevocationService } from './revocation.service.js';

/** A data source whose revocation reads resolve when the test says so. */
function deferredDataSource() {
  const reads: Array<(rows: unknown[]) => void> = [];
  const dataSource = {
    getRepository: () => ({
      createQueryBuilder: () => ({
        where: () => ({ getMany: () => new Promise<unknown[]>((resolve) => reads.push(resolve)) }),
      }),
    }),
  } as unknown as DataSource;
  return { dataSource, reads };
}

describe(RevocationService.name, () => {
  const principal = (sessionId: string): Principal => ({
    kind: 'user',
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
    const { dataSource, reads } = deferredDataSource();
    let subscriber!: NotificationSubscriber;
    const notifications = {
      subscribe: (_channel: string, given: NotificationSubscriber) => {
        subscriber = given;
        return Promise.resolve();
      },
      state: () => ({ current: true, lastHeartbeatMsAgo: 0 }),
    } as unknown as DatabaseNotifications;
    const sut = new RevocationService(dataSource, notifications);

    const started = sut.onModuleInit();
    await new Promise((resolve) => setImmediate(resolve));
    subscriber.onNotification(JSON.stringify({ apply: [{ kind: 'session', key: 's-during', expiresAt: 4_000_000_000 }] }));
    const second = subscriber.onResync();
    reads[0]([{ kind: 'session', key: 's-loaded', notBefore: null, expiresAt: new Date(4_000_000_000_000) }]);
    await started;
    reads[1]([{ kind: 'session', key: 's-loaded', notBefore: null, expiresAt: new Date(4_000_000_000_000) }]);
    await second;
    sut.onApplicationShutdown();

    expect(sut.verdict(principal('s-loaded'))).toBe('token_revoked');
    expect(sut.verdict(principal('s-during'))).toBe('token_revoked');
    expect(sut.verdict(principal('s-other'))).toBeUndefined();
  });
});
