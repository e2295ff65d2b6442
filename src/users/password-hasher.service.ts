import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import bcrypt from 'bcrypt';
import type { AppConfig } from '../config/app-config.js';

/** Keys the pre-hash to this service, so a leaked hash cannot be matched against other sites' SHA-256 dumps. */
const PREHASH_KEY = 'portcullis/password-prehash/v1';

/**
 * bcrypt reads only the first 72 bytes of its input, so two long passwords sharing a prefix
 * would collide. Every password is therefore first reduced to base64(HMAC-SHA256) — 44 ASCII
 * bytes — after NFKC normalization (NIST SP 800-63B), and that is what bcrypt hashes.
 * bcrypt runs on libuv's thread pool, never blocking the event loop.
 */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private dummyHash?: Promise<string>;

  constructor(config: ConfigService<AppConfig, true>) {
    this.cost = config.get('password', { infer: true }).bcryptCost;
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(this.prehash(password), this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(this.prehash(password), hash);
  }

  /** Spends the time of a real check when there is no user, so timing tells nothing. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash(this.prehash('portcullis-no-such-user'), this.cost);
    await bcrypt.compare(this.prehash(password), await this.dummyHash);
    return false;
  }

  private prehash(password: string): string {
    return createHmac('sha256', PREHASH_KEY).update(password.normalize('NFKC'), 'utf8').digest('base64');
  }
}
