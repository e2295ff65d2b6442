import { openSuccessor, sealSuccessor } from './refresh-token-seal.js';
import { generateRefreshTokenSecret, hashRefreshTokenSecret } from './refresh-token-secret.js';

describe(sealSuccessor.name, () => {
  it('opens with the secret of the token it replaces', () => {
    const holder = generateRefreshTokenSecret();
    const successor = generateRefreshTokenSecret();
    expect(openSuccessor(sealSuccessor(successor, holder), holder)).toBe(successor);
  });

  it('does not open with any other secret, nor with the stored hash of the right one', () => {
    const holder = generateRefreshTokenSecret();
    const sealed = sealSuccessor(generateRefreshTokenSecret(), holder);
    expect(openSuccessor(sealed, generateRefreshTokenSecret())).toBeUndefined();
    expect(openSuccessor(sealed, hashRefreshTokenSecret(holder).toString('base64url'))).toBeUndefined();
  });

  it('refuses a tampered seal', () => {
    const holder = generateRefreshTokenSecret();
    const sealed = sealSuccessor(generateRefreshTokenSecret(), holder);
    sealed[sealed.length - 1] ^= 1;
    expect(openSuccessor(sealed, holder)).toBeUndefined();
  });

  it('does not carry the successor in the clear', () => {
    const successor = generateRefreshTokenSecret();
    const sealed = sealSuccessor(successor, generateRefreshTokenSecret());
    expect(sealed.toString('latin1')).not.toContain(successor);
  });
});
