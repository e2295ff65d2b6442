import type { Principal, UserPrincipal } from '../access/principal.js';
import { RevocationList } from './revocation-list.js';

describe(RevocationList.name, () => {
  /** A moment at which the entries below (expiring at 2000 or later) still matter. */
  const NOW = 1000;

  const principal = (overrides: Partial<Omit<UserPrincipal, 'kind'>> = {}): Principal => ({
    kind: 'user',
    subject: 'user-1',
    userId: 'user-1',
    clientId: 'portcullis',
    tenantId: 'tenant-1',
    roles: ['user'],
    scopes: ['profile'],
    sessionId: 'session-1',
    tokenId: 'token-1',
    issuedAt: 1000,
    expiresAt: 1900,
    ...overrides,
  });

  it('lets through a token nothing revokes', () => {
    expect(new RevocationList().verdict(principal())).toBeUndefined();
  });

  it('revokes by session, by token id, and by tenant', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'session', key: 'session-1', expiresAt: 2000 });
    expect(sut.verdict(principal(), NOW)).toBe('token_revoked');
    expect(sut.verdict(principal({ sessionId: 'session-2' }), NOW)).toBeUndefined();
    sut.apply({ kind: 'token', key: 'token-9', expiresAt: 2000 });
    expect(sut.verdict(principal({ sessionId: undefined, tokenId: 'token-9' }), NOW)).toBe('token_revoked');
    sut.apply({ kind: 'tenant', key: 'tenant-2' });
    expect(sut.verdict(principal({ tenantId: 'tenant-2', sessionId: 'x' }), NOW)).toBe('tenant_disabled');
  });

  it('revokes a subject’s tokens issued up to its not-before, not later ones', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'subject', key: 'client:c1', notBefore: 1500, expiresAt: 3000 });
    expect(sut.verdict(principal({ subject: 'client:c1', sessionId: undefined, issuedAt: 1500 }), NOW)).toBe('token_revoked');
    expect(sut.verdict(principal({ subject: 'client:c1', sessionId: undefined, issuedAt: 1501 }), NOW)).toBeUndefined();
  });

  it('revokes a once-disabled tenant’s tokens issued up to its not-before, also after the tenant is enabled again', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'tenant', key: 'tenant-1' });
    sut.apply({ kind: 'tenant_tokens', key: 'tenant-1', notBefore: 1500, expiresAt: 3000 });
    expect(sut.verdict(principal({ issuedAt: 1400 }), NOW)).toBe('tenant_disabled');
    sut.lift('tenant', 'tenant-1');
    expect(sut.verdict(principal({ issuedAt: 1400 }), NOW)).toBe('token_revoked');
    expect(sut.verdict(principal({ issuedAt: 1501 }), NOW)).toBeUndefined();
  });

  it('no longer counts an entry past its expiry, swept or not', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'session', key: 'session-1', expiresAt: 2000 });
    expect(sut.verdict(principal(), 1999)).toBe('token_revoked');
    expect(sut.verdict(principal(), 2000)).toBeUndefined();
    expect(sut.size).toBe(1);
  });

  it('never moves a subject’s not-before back', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'subject', key: 'user-1', notBefore: 1500 });
    sut.apply({ kind: 'subject', key: 'user-1', notBefore: 1200 });
    expect(sut.verdict(principal({ issuedAt: 1400 }), NOW)).toBe('token_revoked');
  });

  it('forgets entries whose tokens have all expired, and keeps open-ended ones', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'session', key: 'session-1', expiresAt: 2000 });
    sut.apply({ kind: 'tenant', key: 'tenant-2' });
    sut.sweep(2000);
    expect(sut.size).toBe(1);
    expect(sut.verdict(principal())).toBeUndefined();
  });

  it('lifts an entry', () => {
    const sut = new RevocationList();
    sut.apply({ kind: 'tenant', key: 'tenant-1' });
    sut.lift('tenant', 'tenant-1');
    expect(sut.verdict(principal())).toBeUndefined();
  });
});
