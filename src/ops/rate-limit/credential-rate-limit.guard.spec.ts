import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { Auth } from '../../access/decorators/authorization.decorators.js';
import { Public } from '../../access/decorators/public.decorator.js';
import { DomainError } from '../../common/errors/domain.error.js';
import type { AppConfig } from '../../config/app-config.js';
import { CredentialRateLimitGuard } from './credential-rate-limit.guard.js';
import type { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

class AuthController {
  @Public({ rateLimited: true, checksPassword: true })
  login(this: void): void {}

  @Public({ checksPassword: true, oauthErrors: true })
  revoke(this: void): void {}

  @Auth({ scopes: ['profile'], rateLimited: true })
  limitedWithToken(this: void): void {}

  @Auth({ scopes: ['profile'] })
  logout(this: void): void {}
}

describe(CredentialRateLimitGuard.name, () => {
  const LIMIT = 2;
  let hits: number;
  let increment: jest.Mock<PostgresThrottlerStorage['increment']>;
  let sut: CredentialRateLimitGuard;

  beforeEach(() => {
    hits = 0;
    increment = jest.fn<PostgresThrottlerStorage['increment']>(() => {
      hits++;
      return Promise.resolve({ totalHits: hits, timeToExpire: 60, isBlocked: hits > LIMIT, timeToBlockExpire: hits > LIMIT ? 60 : 0 });
    });
    const config = { get: () => ({ rateLimitPerMinute: LIMIT }) } as unknown as ConfigService<AppConfig, true>;
    sut = new CredentialRateLimitGuard(new Reflector(), config, { increment } as unknown as PostgresThrottlerStorage);
  });

  const contextOf = (handler: (this: void) => void): ExecutionContext =>
    ({
      getClass: () => AuthController,
      getHandler: () => handler,
      switchToHttp: () => ({ getRequest: () => ({ ip: '203.0.113.7', socket: {} }), getResponse: () => ({ header: () => undefined }) }),
    }) as unknown as ExecutionContext;

  it('counts a hit on a public route that states it is rate limited, and refuses past the limit', async () => {
    const context = contextOf(AuthController.prototype.login);
    await expect(sut.canActivate(context)).resolves.toBe(true);
    await expect(sut.canActivate(context)).resolves.toBe(true);
    await expect(sut.canActivate(context)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(increment).toHaveBeenCalledTimes(3);
    expect(increment.mock.calls[0]?.[0]).toBe('credentials:203.0.113.7');
  });

  it('counts a hit on a protected route that states it is rate limited', async () => {
    await expect(sut.canActivate(contextOf(AuthController.prototype.limitedWithToken))).resolves.toBe(true);
    expect(increment).toHaveBeenCalledTimes(1);
  });

  it('lets every other route through at once, without counting, whatever else it states', () => {
    for (const handler of [AuthController.prototype.revoke, AuthController.prototype.logout]) {
      expect(sut.canActivate(contextOf(handler))).toBe(true);
    }
    expect(increment).not.toHaveBeenCalled();
  });

  it('throws the domain’s error, which the filters answer with Retry-After', async () => {
    hits = LIMIT;
    await expect(sut.canActivate(contextOf(AuthController.prototype.login))).rejects.toBeInstanceOf(DomainError);
  });
});
