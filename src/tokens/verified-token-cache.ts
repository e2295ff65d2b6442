import { LRUCache } from 'lru-cache';
import type { Principal } from '../common/http/principal.js';

/** Enough for every token in use on a busy instance; the least recently used go first. */
const MAX_ENTRIES = 10_000;

/**
 * Tokens whose signature and claims have been verified, with the caller each speaks for, so that
 * a token presented again skips the signature work. Keyed by the whole token string; an entry
 * never outlives the token's `exp`. It holds only what verification established: revocation is
 * checked on every request all the same, after this.
 */
export class VerifiedTokenCache {
  private readonly entries = new LRUCache<string, Principal>({ max: MAX_ENTRIES, ttlAutopurge: false });

  get(token: string): Principal | undefined {
    return this.entries.get(token);
  }

  remember(token: string, principal: Principal): void {
    const lifetimeMs = principal.expiresAt * 1000 - Date.now();
    if (lifetimeMs > 0) this.entries.set(token, principal, { ttl: lifetimeMs });
  }

  /** Forgets everything (signing keys changed). */
  clear(): void {
    this.entries.clear();
  }
}
