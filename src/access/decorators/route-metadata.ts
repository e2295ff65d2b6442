import type { ExecutionContext, Type } from '@nestjs/common';

/**
 * A guard's reading of a route's metadata, made once per route rather than on every request:
 * metadata is fixed once the application runs, and reading it through `Reflector` walks the
 * handler's and the class's prototype chains each time. Keyed by class and handler together, as
 * one handler inherited by two controllers can carry different class-level metadata.
 */
export class RouteMetadata<T> {
  private readonly byClass = new WeakMap<Type, WeakMap<object, { value: T }>>();

  constructor(private readonly read: (context: ExecutionContext) => T) {}

  of(context: ExecutionContext): T {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.byClass.set(controller, byHandler);
    }
    let entry = byHandler.get(handler);
    if (!entry) {
      entry = { value: this.read(context) };
      byHandler.set(handler, entry);
    }
    return entry.value;
  }
}
