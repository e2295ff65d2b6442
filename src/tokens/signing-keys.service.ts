import { createHash, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { Actor } from '../access/actor.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { AppConfig, JwtAlgorithm } from '../config/app-config.js';
import { ADVISORY_LOCK, lockForTransaction } from '../database/advisory-locks.js';
import { DatabaseNotifications } from '../database/database-notifications.service.js';
import { CLOCK_TOLERANCE_SECONDS } from './access-token-format.js';
import { AccessTokenLifetime } from './access-token-lifetime.service.js';
import { type PublicJwk, SigningKey } from './signing-key.entity.js';
import { UnitOfWork } from '../database/unit-of-work.js';

export const SIGNING_KEYS_CHANNEL = 'portcullis_signing_keys';

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

/**
 * The keys that sign and verify access tokens. Asymmetric keys are generated on first start
 * and kept in the database, so that restarts and other instances sign with the same key.
 * After a rotation the retired key keeps verifying, and stays in the JWKS, until every token
 * it signed has expired. HS256 uses `JWT_SECRET` and publishes nothing.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly algorithm: JwtAlgorithm;
  private current!: LoadedKey;
  private byKid = new Map<string, LoadedKey>();
  private readonly withdrawalListeners: Array<() => void> = [];

  constructor(
    private readonly unitOfWork: UnitOfWork,
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
    private readonly audit: AuditTrail,
    private readonly lifetime: AccessTokenLifetime,
  ) {
    const jwt = config.get('jwt', { infer: true });
    this.algorithm = jwt.algorithm;
    if (jwt.algorithm === 'HS256') this.useSharedSecret(jwt.secret!);
  }

  async onModuleInit(): Promise<void> {
    if (this.algorithm === 'HS256') return;
    await this.notifications.subscribe(SIGNING_KEYS_CHANNEL, {
      onNotification: () => {
        this.reload().catch((error: unknown) => this.logger.warn(`Could not reload signing keys: ${String(error)}`));
      },
      onResync: () => this.reload(),
    });
    await this.reload();
  }

  get signing(): LoadedKey {
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

  /** Makes a new key current; the old one is retired, not forgotten. Other instances reload on the notification. */
  async rotate(actor: Actor): Promise<string> {
    const algorithm = this.algorithm;
    if (algorithm === 'HS256') throw new DomainError('conflict', 'Under HS256 the key is JWT_SECRET: rotate it in the configuration');
    const kid = await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      await lockForTransaction(manager, ADVISORY_LOCK.signingKeys);
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
      await this.notifications.notify(manager, SIGNING_KEYS_CHANNEL, key.kid!);
      return key.kid!;
    });
    await this.reload();
    this.logger.log(`Rotated the signing key: ${kid} is current`);
    return kid;
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

  private async reload(): Promise<void> {
    const algorithm = this.algorithm as AsymmetricAlgorithm;
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
    const current = loaded.find((key) => key.verifiableUntil === undefined)!;
    if (this.current?.kid !== current.kid) this.logger.log(`Signing access tokens with ${algorithm} key ${current.kid}`);
    this.current = current;
    const byKid = new Map(loaded.map((key) => [key.kid, key]));
    const withdrawn = [...this.byKid.keys()].some((kid) => !byKid.has(kid));
    this.byKid = byKid;
    if (withdrawn) for (const listener of this.withdrawalListeners) listener();
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
