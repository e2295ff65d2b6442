import type { Principal } from '../access/principal.js';
import type { RevocationKind } from './revocation.entity.js';

export interface RevocationEntry {
  kind: RevocationKind;
  key: string;
  /** For `subject` and `tenant_tokens`: tokens issued at or before this time (epoch seconds) are revoked. */
  notBefore?: number;
  /** Epoch seconds after which the entry no longer matters; absent: until removed. */
  expiresAt?: number;
}

export type RevocationVerdict = 'token_revoked' | 'tenant_disabled' | undefined;

/**
 * The in-memory revocation state every request is checked against: a few map lookups,
 * no database round trip. Kept in step with the `revocations` table by `RevocationService`
 * (loaded whole at start and whenever notifications may have been missed; in between, it applies
 * the entries this instance commits and those other instances announce through
 * `DatabaseNotifications`).
 * One map per kind, so that a lookup hashes the principal's own strings (V8 keeps a string's
 * hash) rather than a key built for every request.
 */
export class RevocationList {
  private readonly byKind = new Map<RevocationKind, Map<string, RevocationEntry>>();

  get size(): number {
    let size = 0;
    for (const entries of this.byKind.values()) size += entries.size;
    return size;
  }

  apply(entry: RevocationEntry): void {
    const entries = this.entriesOf(entry.kind);
    const existing = entries.get(entry.key);
    if (existing?.notBefore !== undefined && entry.notBefore !== undefined && existing.notBefore > entry.notBefore) return;
    entries.set(entry.key, entry);
  }

  /** Lifts an entry (a tenant enabled again). */
  lift(kind: RevocationKind, key: string): void {
    this.byKind.get(kind)?.delete(key);
  }

  replaceAll(entries: Iterable<RevocationEntry>): void {
    this.byKind.clear();
    for (const entry of entries) this.apply(entry);
  }

  /** Entries past their `expiresAt` no longer count, swept or not. */
  verdict(principal: Principal, nowSeconds = Date.now() / 1000): RevocationVerdict {
    const live = (kind: RevocationKind, key: string | undefined): RevocationEntry | undefined => {
      const entry = key === undefined ? undefined : this.byKind.get(kind)?.get(key);
      return entry && (entry.expiresAt === undefined || entry.expiresAt > nowSeconds) ? entry : undefined;
    };
    const issuedBy = (entry: RevocationEntry | undefined): boolean => entry?.notBefore !== undefined && principal.issuedAt <= entry.notBefore;
    if (live('tenant', principal.tenantId)) return 'tenant_disabled';
    if (live('session', principal.sessionId) || live('token', principal.tokenId)) return 'token_revoked';
    if (issuedBy(live('subject', principal.subject)) || issuedBy(live('tenant_tokens', principal.tenantId))) return 'token_revoked';
    return undefined;
  }

  /** Drops entries whose tokens have all expired. */
  sweep(nowSeconds: number): void {
    for (const entries of this.byKind.values()) {
      for (const [key, entry] of entries) {
        if (entry.expiresAt !== undefined && entry.expiresAt <= nowSeconds) entries.delete(key);
      }
    }
  }

  private entriesOf(kind: RevocationKind): Map<string, RevocationEntry> {
    let entries = this.byKind.get(kind);
    if (!entries) {
      entries = new Map();
      this.byKind.set(kind, entries);
    }
    return entries;
  }
}
