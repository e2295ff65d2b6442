import { createHash, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { Actor } from '../access/actor.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { AppConfig, JwtAlgorithm } from '../config/app-config.js';
import { ADVISORY_LOCK, lockForTransaction } from '../database/advisory-locks.js';
import { DatabaseNotifications } from '../database/database-notifications.service.js';
import { DatabaseStartup } from '../database/database-startup.js';
import { CLOCK_TOLERANCE_SECONDS } from './access-token-format.js';
import { AccessTokenLifetime } from './access-token-lifetime.service.js';
import { type PublicJwk, SigningKey } from './signing-key.entity.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';

/**
 * Sent by a trigger on `signing_keys` at the commit of every change, whoever makes it: `INSERT <kid>`,
 * `UPDATE <kid>`, `DELETE <kid>` (an update that replaces a key's kid or material sends `DELETE`
 * for the old one too), or `TRUNCATE`.
 */
export const SIGNING_KEYS_CHANNEL = 'portcullis_signing_keys';
/** Every instance reloads its keys this often, to catch whatever notifications missed... */
export const KEYS_RELOAD_INTERVAL_MS = 5_000;
/** ...and retries this soon after a failed reload. */
export const KEYS_RELOAD_RETRY_MS = 1_000;

export interface LoadedKey {
  kid: string;
  algorithm: JwtAlgorithm;
  signingKey: KeyObject;
  verificationKey: KeyObject;
  publicJwk?: PublicJwk;
  /** For a retired key: when the last token it signed has expired (epoch ms). */
  verifiableUntil?: number;
}

type AsymmetricAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

function generateKeyPair(algorithm: AsymmetricAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (algorithm) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'RS256':
    case 'PS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
  }
}

/** The public members only: a private key's `d`, `p`, `q` … can never be published by mistake. */
function publicJwkOf(publicKey: KeyObject, kid: string, algorithm: AsymmetricAlgorithm): PublicJwk {
  const { kty, crv, x, y, n, e } = publicKey.export({ format: 'jwk' });
  return { kty: kty!, crv, x, y, n, e, kid, alg: algorithm, use: 'sig' };
}

export interface Withdrawal {
  kid: string;
  /** The key that became current because the withdrawn one was. */
  replacedBy?: string;
}

/**
 * The keys that sign and verify access tokens. Asymmetric keys are generated on first start
 * and kept in the database, so that restarts and other instances sign with the same key.
 * After a rotation the retired key keeps verifying, and stays in the JWKS, until every token
 * it signed has expired. HS256 uses `JWT_SECRET` and publishes nothing.
 *
 * Every instance hears every change to the table from its trigger: a deleted key stops verifying
 * the moment its notification arrives, before any reload; other changes are reloaded. Reloads
 * also run every `KEYS_RELOAD_INTERVAL_MS`, and `KEYS_RELOAD_RETRY_MS` after one failed.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly algorithm: JwtAlgorithm;
  private current!: LoadedKey;
  private byKid = new Map<string, LoadedKey>();
  private readonly withdrawalListeners: Array<() => void> = [];
  /** Keys heard withdrawn, and how many loads had started then: an older load may not bring them back. */
  private readonly withdrawnAt = new Map<string, number>();
  private loadsStarted = 0;
  /** Reloads run one at a time; one asked for meanwhile runs after it (see `reload`). */
  private reloading?: Promise<void>;
  private reloadWanted = false;
  private nextReload?: NodeJS.Timeout;
  private stopped = false;
  /** Until a load has succeeded, a failed one is DatabaseStartup's to log and retry. */
  private loadedOnce = false;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
    private readonly audit: AuditTrail,
    private readonly lifetime: AccessTokenLifetime,
    private readonly startup: DatabaseStartup,
  ) {
    const jwt = config.get('jwt', { infer: true });
    this.algorithm = jwt.algorithm;
    if (jwt.algorithm === 'HS256') this.useSharedSecret(jwt.secret!);
  }

  async onModuleInit(): Promise<void> {
    if (this.algorithm === 'HS256') return;
    await this.notifications.subscribe(SIGNING_KEYS_CHANNEL, {
      onNotification: (payload) => this.heard(payload),
      onResync: () => this.reload(),
    });
    await this.startup.retry('loading the signing keys', () => this.reload());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.nextReload);
  }

  get signing(): LoadedKey {
    // The current key was withdrawn and its successor is being loaded: sign nothing no one would verify.
    if (!this.byKid.has(this.current.kid)) throw new DomainError('service_unavailable', 'The signing key is being replaced; try again shortly', { retryAfterSeconds: 1 });
    return this.current;
  }

  /**
   * Calls `listener` whenever a key this instance knew disappears from the table (deleted by an
   * operator, say, after a compromise): whatever was verified with it must be verified again.
   */
  onKeyWithdrawn(listener: () => void): void {
    this.withdrawalListeners.push(listener);
  }

  find(kid: string): LoadedKey | undefined {
    const key = this.byKid.get(kid);
    return key && this.stillVerifies(key) ? key : undefined;
  }

  /** The public keys to publish at `/.well-known/jwks.json` (none under HS256). */
  publicJwks(): PublicJwk[] {
    return [...this.byKid.values()].filter((key) => this.stillVerifies(key)).flatMap((key) => (key.publicJwk ? [key.publicJwk] : []));
  }

  /** Makes a new key current; the old one is retired, not forgotten. Other instances hear of it from the trigger. */
  async rotate(actor: Actor): Promise<string> {
    const algorithm = this.asymmetricAlgorithm();
    const kid = await this.unitOfWork.run(async (transaction) => {
      await lockForTransaction(transaction.manager, ADVISORY_LOCK.signingKeys);
      return this.rotateIn(transaction, algorithm, actor);
    });
    await this.reload();
    this.logger.log(`Rotated the signing key: ${kid} is current`);
    return kid;
  }

  /**
   * Deletes a key (after a compromise, say): its tokens stop verifying, here at once and on the
   * other instances when the trigger's notification arrives, and it leaves the JWKS. The current
   * key is first replaced by a new one, in the same transaction, so that there is always one.
   */
  async withdraw(kid: string, actor: Actor): Promise<Withdrawal> {
    const algorithm = this.asymmetricAlgorithm();
    const withdrawal = await this.unitOfWork.run(async (transaction): Promise<Withdrawal> => {
      const { manager } = transaction;
      await lockForTransaction(manager, ADVISORY_LOCK.signingKeys);
      const [key] = await manager.query<Array<{ algorithm: JwtAlgorithm; current: boolean }>>(
        'SELECT algorithm, retired_at IS NULL AS current FROM signing_keys WHERE kid = $1',
        [kid],
      );
      if (!key) throw new DomainError('not_found', `No signing key has the kid ${kid}`);
      const replacedBy = key.current && key.algorithm === algorithm ? await this.rotateIn(transaction, algorithm, actor) : undefined;
      await manager.query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
      await this.audit.record(
        transaction,
        { type: 'key.withdrawn', tenantId: null, actorId: actor.id, subjectId: kid, data: { algorithm: key.algorithm, ...(replacedBy ? { replacedBy } : {}) } },
        actor.origin,
      );
      return { kid, ...(replacedBy ? { replacedBy } : {}) };
    });
    this.forget([kid]);
    await this.reload();
    this.logger.log(`Withdrew the signing key ${kid}${withdrawal.replacedBy ? `; ${withdrawal.replacedBy} is current` : ''}`);
    return withdrawal;
  }

  private asymmetricAlgorithm(): AsymmetricAlgorithm {
    if (this.algorithm === 'HS256') throw new DomainError('conflict', 'Under HS256 the key is JWT_SECRET: change it in the configuration');
    return this.algorithm;
  }

  /** Retires the current key and inserts its successor, audited; the caller holds the advisory lock. */
  private async rotateIn(transaction: Transaction, algorithm: AsymmetricAlgorithm, actor: Actor): Promise<string> {
    const { manager } = transaction;
    const [retired] = await manager.query<[Array<{ kid: string }>, number]>(
      'UPDATE signing_keys SET retired_at = now() WHERE algorithm = $1 AND retired_at IS NULL RETURNING kid',
      [algorithm],
    );
    const key = this.newKey(algorithm);
    await manager.insert(SigningKey, key);
    await this.audit.record(
      transaction,
      { type: 'key.rotated', tenantId: null, actorId: actor.id, subjectId: key.kid!, data: { algorithm, retired: retired.map((row) => row.kid) } },
      actor.origin,
    );
    return key.kid!;
  }

  private stillVerifies(key: LoadedKey): boolean {
    return key.verifiableUntil === undefined || key.verifiableUntil > Date.now();
  }

  private useSharedSecret(secret: string): void {
    const kid = `hs256-${createHash('sha256').update(`portcullis-kid:${secret}`).digest('base64url').slice(0, 16)}`;
    const key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.current = { kid, algorithm: 'HS256', signingKey: key, verificationKey: key };
    this.byKid = new Map([[kid, this.current]]);
  }

  /** A change to `signing_keys` committed somewhere: a deleted key goes at once, then the table is reloaded. */
  private heard(payload: string): void {
    const [operation, kid] = payload.split(' ', 2);
    if (operation === 'DELETE' && kid) this.forget([kid]);
    else if (operation === 'TRUNCATE') this.forget([...this.byKid.keys()]);
    this.reload().catch(() => undefined); // logged, and retried, by reloadWhileWanted
  }

  /** Stops verifying with these keys now, and tells whoever remembers what they verified. */
  private forget(kids: string[]): void {
    const byKid = new Map(this.byKid);
    for (const kid of kids) {
      this.withdrawnAt.set(kid, this.loadsStarted);
      byKid.delete(kid);
    }
    const known = byKid.size < this.byKid.size;
    this.byKid = byKid;
    if (known) for (const listener of this.withdrawalListeners) listener();
  }

  /**
   * Brings the keys up to date with the table. One load runs at a time, and a reload asked for
   * while one is running gets a load of its own that starts after it: so two reloads in flight
   * (a notification's and the periodic one, say) can never let an older snapshot replace a newer
   * one, and whoever awaits this sees a snapshot read after they asked.
   */
  private reload(): Promise<void> {
    this.reloadWanted = true;
    this.reloading ??= this.reloadWhileWanted();
    return this.reloading;
  }

  private async reloadWhileWanted(): Promise<void> {
    clearTimeout(this.nextReload);
    try {
      while (this.reloadWanted) {
        this.reloadWanted = false;
        await this.load();
      }
      this.loadedOnce = true;
      this.reloading = undefined;
      this.scheduleReload(KEYS_RELOAD_INTERVAL_MS);
    } catch (error) {
      this.reloading = undefined;
      if (!this.loadedOnce) throw error;
      this.logger.warn(`Could not reload the signing keys (retrying in ${KEYS_RELOAD_RETRY_MS} ms): ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleReload(KEYS_RELOAD_RETRY_MS);
      throw error;
    }
  }

  private scheduleReload(delayMs: number): void {
    clearTimeout(this.nextReload);
    if (this.stopped) return;
    this.nextReload = setTimeout(() => {
      this.reload().catch(() => undefined); // logged, and retried, by reloadWhileWanted
    }, delayMs);
    this.nextReload.unref();
  }

  private async load(): Promise<void> {
    const algorithm = this.algorithm as AsymmetricAlgorithm;
    const loadNumber = ++this.loadsStarted;
    // A retired key verifies until the longest-lived token any instance may have signed with it has expired.
    let retiredLifetimeMs = 0;
    const rows = await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      await this.ensureCurrentKey(manager, algorithm);
      retiredLifetimeMs = ((await this.lifetime.longestTtlSeconds(manager)) + CLOCK_TOLERANCE_SECONDS) * 1000;
      return manager
        .getRepository(SigningKey)
        .createQueryBuilder('key')
        .addSelect('key.privateKeyPem')
        .where('key.algorithm = :algorithm', { algorithm })
        .andWhere('(key.retiredAt IS NULL OR key.retiredAt > :oldest)', { oldest: new Date(Date.now() - retiredLifetimeMs) })
        .orderBy('key.createdAt', 'DESC')
        .getMany();
    });
    const loaded = rows.map((row): LoadedKey => {
      const signingKey = createPrivateKey(row.privateKeyPem);
      return {
        kid: row.kid,
        algorithm: row.algorithm,
        signingKey,
        verificationKey: createPublicKey(signingKey),
        publicJwk: row.publicJwk,
        verifiableUntil: row.retiredAt ? row.retiredAt.getTime() + retiredLifetimeMs : undefined,
      };
    });
    // A key heard withdrawn after this load started may still be in what it read.
    for (const [kid, heardWhenStarted] of this.withdrawnAt) if (heardWhenStarted < loadNumber) this.withdrawnAt.delete(kid);
    const live = loaded.filter((key) => !this.withdrawnAt.has(key.kid));
    const current = live.find((key) => key.verifiableUntil === undefined);
    const byKid = new Map(live.map((key) => [key.kid, key]));
    const withdrawn = [...this.byKid.keys()].some((kid) => !byKid.has(kid));
    this.byKid = byKid;
    if (current) {
      if (this.current?.kid !== current.kid) this.logger.log(`Signing access tokens with ${algorithm} key ${current.kid}`);
      this.current = current;
    }
    if (withdrawn) for (const listener of this.withdrawalListeners) listener();
    // The current key went meanwhile: the load that follows the notification makes a new one.
    if (!current) this.reloadWanted = true;
  }

  /** The first start (of any instance) generates the key; the advisory lock makes it one key. */
  private async ensureCurrentKey(manager: EntityManager, algorithm: AsymmetricAlgorithm): Promise<void> {
    if (await manager.existsBy(SigningKey, { algorithm, retiredAt: IsNull() })) return;
    await lockForTransaction(manager, ADVISORY_LOCK.signingKeys);
    if (!(await manager.existsBy(SigningKey, { algorithm, retiredAt: IsNull() }))) await manager.insert(SigningKey, this.newKey(algorithm));
  }

  private newKey(algorithm: AsymmetricAlgorithm): Partial<SigningKey> {
    const { privateKey, publicKey } = generateKeyPair(algorithm);
    const kid = randomUUID();
    return {
      kid,
      algorithm,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicJwk: publicJwkOf(publicKey, kid, algorithm),
    };
  }
}
