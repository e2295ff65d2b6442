import { createHash, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JWK } from 'jose';
import { DataSource, IsNull } from 'typeorm';
import type { AppConfig, JwtAlgorithm } from '../config/app-config.js';
import { ADVISORY_LOCK, lockForTransaction } from '../database/advisory-locks.js';
import { SigningKey } from './signing-key.entity.js';

export interface LoadedKey {
  kid: string;
  algorithm: JwtAlgorithm;
  signingKey: KeyObject;
  verificationKey: KeyObject;
  publicJwk?: JWK;
}

type AsymmetricAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

function generateKeyPair(algorithm: AsymmetricAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (algorithm) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
  }
}

/**
 * The keys that sign and verify access tokens. Asymmetric keys are generated on first start
 * and kept in the database, so that restarts and other instances sign with the same key;
 * HS256 uses `JWT_SECRET` and publishes nothing.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly algorithm: JwtAlgorithm;
  private current!: LoadedKey;
  private byKid = new Map<string, LoadedKey>();

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const jwt = config.get('jwt', { infer: true });
    this.algorithm = jwt.algorithm;
    if (jwt.algorithm === 'HS256') this.useSharedSecret(jwt.secret!);
  }

  async onModuleInit(): Promise<void> {
    if (this.algorithm !== 'HS256') await this.loadAsymmetricKeys(this.algorithm);
  }

  get signing(): LoadedKey {
    return this.current;
  }

  find(kid: string): LoadedKey | undefined {
    return this.byKid.get(kid);
  }

  /** The public keys to publish at `/.well-known/jwks.json` (none under HS256). */
  publicJwks(): JWK[] {
    return [...this.byKid.values()].flatMap((key) => (key.publicJwk ? [key.publicJwk] : []));
  }

  private useSharedSecret(secret: string): void {
    const kid = `hs256-${createHash('sha256').update(`portcullis-kid:${secret}`).digest('base64url').slice(0, 16)}`;
    const key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.current = { kid, algorithm: 'HS256', signingKey: key, verificationKey: key };
    this.byKid = new Map([[kid, this.current]]);
  }

  private async loadAsymmetricKeys(algorithm: AsymmetricAlgorithm): Promise<void> {
    const rows = await this.dataSource.transaction(async (manager) => {
      await lockForTransaction(manager, ADVISORY_LOCK.signingKeys);
      const repository = manager.getRepository(SigningKey);
      const current = await repository.findOneBy({ algorithm, retiredAt: IsNull() });
      if (!current) await repository.insert(this.newKey(algorithm));
      return repository
        .createQueryBuilder('key')
        .addSelect('key.privateKeyPem')
        .where('key.algorithm = :algorithm', { algorithm })
        .orderBy('key.createdAt', 'DESC')
        .getMany();
    });
    const loaded = rows.map((row): LoadedKey & { retired: boolean } => {
      const signingKey = createPrivateKey(row.privateKeyPem);
      return {
        kid: row.kid,
        algorithm: row.algorithm,
        signingKey,
        verificationKey: createPublicKey(signingKey),
        publicJwk: row.publicJwk,
        retired: row.retiredAt !== null,
      };
    });
    this.current = loaded.find((key) => !key.retired)!;
    this.byKid = new Map(loaded.map((key) => [key.kid, key]));
    this.logger.log(`Signing access tokens with ${algorithm} key ${this.current.kid}`);
  }

  private newKey(algorithm: AsymmetricAlgorithm): Partial<SigningKey> {
    const { privateKey, publicKey } = generateKeyPair(algorithm);
    const kid = randomUUID();
    return {
      kid,
      algorithm,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: algorithm, use: 'sig' },
    };
  }
}
