import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import bcrypt from 'bcrypt';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AppConfig } from '../config/app-config.js';

/** Keys the pre-hash to this service, so a leaked hash cannot be matched against other sites' SHA-256 dumps. */
const PREHASH_KEY = 'portcullis/password-prehash/v1';

/**
 * bcrypt reads only the first 72 bytes of its input, so two long passwords sharing a prefix
 * would collide. Every password is therefore first reduced to base64(HMAC-SHA256) — 44 ASCII
 * bytes — after NFKC normalization (NIST SP 800-63B), and that is what bcrypt hashes.
 * bcrypt runs on libuv's thread pool, never blocking the event loop, and never on all of its
 * threads at once: sign-ins beyond `concurrentHashes` wait their turn here, not in libuv's queue,
 * where they would hold up a new database connection (its SCRAM key derivation runs on the same
 * pool) past the pool's 2 s timeout, answering 503 under a burst of sign-ins.
 */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private readonly limit: LimitFunction;
  private dummyHash?: Promise<string>;

  constructor(config: ConfigService<AppConfig, true>) {
    const { bcryptCost, concurrentHashes } = config.get('password', { infer: true });
    this.cost = bcryptCost;
    this.limit = pLimit(concurrentHashes);
  }

  hash(password: string): Promise<string> {
    return this.limit(() => bcrypt.hash(this.prehash(password), this.cost));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.limit(() => bcrypt.compare(this.prehash(password), hash));
  }

  /** Spends the time of a real check when there is no user, so timing tells nothing. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('portcullis-no-such-user');
    const dummyHash = await this.dummyHash;
    await this.limit(() => bcrypt.compare(this.prehash(password), dummyHash));
    return false;
  }

  /** How many bcrypt computations are waiting for their turn. */
  get waiting(): number {
    return this.limit.pendingCount;
  }

  private prehash(password: string): string {
    return createHmac('sha256', PREHASH_KEY).update(password.normalize('NFKC'), 'utf8').digest('base64');
  }
}
