import type { Principal } from '../common/http/principal.js';
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

const keyOf = (kind: RevocationKind, key: string): string => `${kind}:${key}`;

/**
 * The in-memory revocation state every request is checked against: a few map lookups,
 * no database round trip. Kept in step with the `revocations` table by `RevocationSync`.
 */
export class RevocationList {
  private readonly entries = new Map<string, RevocationEntry>();

  get size(): number {
    return this.entries.size;
  }

  apply(entry: RevocationEntry): void {
    const id = keyOf(entry.kind, entry.key);
    const existing = this.entries.get(id);
    if (existing?.notBefore !== undefined && entry.notBefore !== undefined && existing.notBefore > entry.notBefore) return;
    this.entries.set(id, entry);
  }

  /** Lifts an entry (a tenant enabled again). */
  lift(kind: RevocationKind, key: string): void {
    this.entries.delete(keyOf(kind, key));
  }

  replaceAll(entries: Iterable<RevocationEntry>): void {
    this.entries.clear();
    for (const entry of entries) this.apply(entry);
  }

  /** Entries past their `expiresAt` no longer count, swept or not. */
  verdict(principal: Principal, nowSeconds = Date.now() / 1000): RevocationVerdict {
    const live = (kind: RevocationKind, key: string | undefined): RevocationEntry | undefined => {
      const entry = key === undefined ? undefined : this.entries.get(keyOf(kind, key));
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
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= nowSeconds) this.entries.delete(id);
    }
  }
}
