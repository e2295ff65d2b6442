import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../common/http/principal.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

describe(VerifiedTokenCache.name, () => {
  const principal = (expiresInSeconds: number): Principal => {
    const now = Math.floor(Date.now() / 1000);
    return { subject: 'u', userId: 'u', tenantId: 't', roles: ['user'], scopes: ['profile'], tokenId: 'j', issuedAt: now, expiresAt: now + expiresInSeconds };
  };

  it('answers a remembered token with its caller', () => {
    const sut = new VerifiedTokenCache();
    const caller = principal(600);
    sut.remember('token-a', caller);
    expect(sut.get('token-a')).toBe(caller);
    expect(sut.get('token-b')).toBeUndefined();
  });

  it('answers only the very token verified, not another carrying its signature', () => {
    const sut = new VerifiedTokenCache();
    const caller = principal(600);
    sut.remember('header.payload.signature', caller);
    expect(sut.get('header.payload.signature')).toBe(caller);
    expect(sut.get('header.forged-payload.signature')).toBeUndefined();
    expect(sut.get('signature')).toBeUndefined();
    // and the verified one is still remembered afterwards
    expect(sut.get('header.payload.signature')).toBe(caller);
  });

  it('never keeps a token past its exp', async () => {
    const sut = new VerifiedTokenCache();
    sut.remember('expired', principal(-1));
    expect(sut.get('expired')).toBeUndefined();
    const soon = principal(1);
    sut.remember('soon', soon);
    await sleep((soon.expiresAt * 1000 - Date.now()) + 50);
    expect(sut.get('soon')).toBeUndefined();
  });
});
