import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from '../decorators/public.decorator.js';
import type { Principal } from '../principal.js';
import { callerOf, publicRoutes } from './caller.js';

describe(callerOf.name, () => {
  class Controller {
    @Public()
    open(this: void): void {}
    closed(this: void): void {}
  }
  const principal = { kind: 'user', userId: 'u' } as Principal;
  const contextOf = (handler: (this: void) => void, caller?: Principal): ExecutionContext =>
    ({ getClass: () => Controller, getHandler: () => handler, switchToHttp: () => ({ getRequest: () => ({ principal: caller }) }) }) as unknown as ExecutionContext;
  const sut = (context: ExecutionContext) => callerOf(context, publicRoutes(new Reflector()));

  it('answers the caller JwtAuthGuard established', () => {
    expect(sut(contextOf(Controller.prototype.closed, principal))).toBe(principal);
  });

  it('answers no caller on a public route', () => {
    expect(sut(contextOf(Controller.prototype.open))).toBeUndefined();
  });

  it('refuses a protected route that arrives without a caller, rather than taking it for a public one', () => {
    expect(() => sut(contextOf(Controller.prototype.closed))).toThrow('without a caller');
  });
});
