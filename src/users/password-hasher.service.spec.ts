import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { PasswordHasher } from './password-hasher.service.js';

describe(PasswordHasher.name, () => {
  const config = { get: () => ({ bcryptCost: 4, concurrentHashes: 2 }) } as unknown as ConfigService<AppConfig, true>;
  const sut = new PasswordHasher(config);

  it('verifies the password it hashed, and no other', async () => {
    const hash = await sut.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$2b\$04\$/);
    await expect(sut.verify('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(sut.verify('correct horse battery stapler', hash)).resolves.toBe(false);
  });

  it('tells apart long passwords that share their first 72 bytes', async () => {
    const prefix = 'x'.repeat(100);
    const hash = await sut.hash(`${prefix}a`);
    await expect(sut.verify(`${prefix}b`, hash)).resolves.toBe(false);
  });

  it('treats canonically equivalent spellings as one password (NFKC)', async () => {
    const hash = await sut.hash('caf\u00e9-password');
    await expect(sut.verify('cafe\u0301-password', hash)).resolves.toBe(true);
  });

  it('runs no more than concurrentHashes computations at once; the others wait their turn and all complete', async () => {
    const hash = await sut.hash('correct horse battery staple');
    const checks = Array.from({ length: 6 }, (_, index) => sut.verify(index % 2 === 0 ? 'correct horse battery staple' : 'wrong', hash));
    expect(sut.waiting).toBe(4);
    await expect(Promise.all(checks)).resolves.toEqual([true, false, true, false, true, false]);
    expect(sut.waiting).toBe(0);
  });

  it('answers false against nothing', async () => {
    await expect(sut.verifyAgainstNothing('anything')).resolves.toBe(false);
  });
});
