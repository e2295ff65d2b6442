import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../access/principal.js';
import type { SigningKeysService } from './signing-keys.service.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

describe(VerifiedTokenCache.name, () => {
  const keyWithdrawals: Array<() => void> = [];
  const keys = { onKeyWithdrawn: (listener: () => void) => void keyWithdrawals.push(listener) } as unknown as SigningKeysService;
  afterEach(() => keyWithdrawals.splice(0));
  const principal = (expiresInSeconds: number): Principal => {
    const now = Math.floor(Date.now() / 1000);
    return { kind: 'user', clientId: 'portcullis', subject: 'u', userId: 'u', tenantId: 't', roles: ['user'], scopes: ['profile'], tokenId: 'j', issuedAt: now, expiresAt: now + expiresInSeconds };
  };

  it('answers a remembered token with its caller', () => {
    const sut = new VerifiedTokenCache(keys);
    const caller = principal(600);
    sut.remember('token-a', caller);
    expect(sut.get('token-a')).toBe(caller);
    expect(sut.get('token-b')).toBeUndefined();
  });

  it('answers only the very token verified, not another carrying its signature', () => {
    const sut = new VerifiedTokenCache(keys);
    const caller = principal(600);
    sut.remember('header.payload.signature', caller);
    expect(sut.get('header.payload.signature')).toBe(caller);
    expect(sut.get('header.forged-payload.signature')).toBeUndefined();
    expect(sut.get('signature')).toBeUndefined();
    // and the verified one is still remembered afterwards
    expect(sut.get('header.payload.signature')).toBe(caller);
  });

  it('never keeps a token past its exp', async () => {
    const sut = new VerifiedTokenCache(keys);
    sut.remember('expired', principal(-1));
    expect(sut.get('expired')).toBeUndefined();
    const soon = principal(1);
    sut.remember('soon', soon);
    await sleep((soon.expiresAt * 1000 - Date.now()) + 50);
    expect(sut.get('soon')).toBeUndefined();
  });

  it('forgets every verified token when a signing key is withdrawn', () => {
    const sut = new VerifiedTokenCache(keys);
    sut.remember('token-a', principal(600));
    expect(keyWithdrawals).toHaveLength(1);
    keyWithdrawals[0]();
    expect(sut.get('token-a')).toBeUndefined();
  });

  it('does not remember a verification that a key withdrawal overtook', () => {
    const sut = new VerifiedTokenCache(keys);
    const checkpoint = sut.checkpoint();
    keyWithdrawals[0]();
    sut.remember('token-a', principal(600), checkpoint);
    expect(sut.get('token-a')).toBeUndefined();
    sut.remember('token-a', principal(600), sut.checkpoint());
    expect(sut.get('token-a')).toBeDefined();
  });
});
