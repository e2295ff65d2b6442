import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { RouteMetadata } from './route-metadata.js';

describe(RouteMetadata.name, () => {
  class BaseController {
    list(this: void): void {}
  }
  class UsersController extends BaseController {}
  class ClientsController extends BaseController {}
  const contextOf = (controller: new () => object, handler: (this: void) => void): ExecutionContext =>
    ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

  it('reads a route once, however often it is asked', () => {
    const read = jest.fn((context: ExecutionContext) => context.getClass().name);
    const sut = new RouteMetadata(read);
    const context = contextOf(UsersController, UsersController.prototype.list);
    expect([sut.of(context), sut.of(context), sut.of(context)]).toEqual(['UsersController', 'UsersController', 'UsersController']);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('keeps apart one handler inherited by two controllers', () => {
    const sut = new RouteMetadata((context) => context.getClass().name);
    expect(sut.of(contextOf(UsersController, BaseController.prototype.list))).toBe('UsersController');
    expect(sut.of(contextOf(ClientsController, BaseController.prototype.list))).toBe('ClientsController');
  });

  it('remembers an absent value too', () => {
    const read = jest.fn(() => undefined);
    const sut = new RouteMetadata(read);
    const context = contextOf(UsersController, UsersController.prototype.list);
    sut.of(context);
    expect(sut.of(context)).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
  });
});
