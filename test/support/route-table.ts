import { type ExecutionContext, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Roles, Scopes } from '../../src/access/decorators/authorization.decorators.js';
import type { Role, Scope } from '../../src/access/roles-and-scopes.js';
import { IS_PUBLIC } from '../../src/access/decorators/public.decorator.js';
import { type RouteFacts, routeFactsOf } from '../../src/access/decorators/route-facts.js';

export interface RoutePolicy {
  method: string;
  /** Express-style path, e.g. `/tenants/:tenantId/users`. */
  path: string;
  public: boolean;
  roles?: Role[];
  scopes?: Scope[];
  /** Whether the tenant guard checks the route: it names a tenant parameter (`facts.tenantParameter`). */
  tenantScoped: boolean;
  /** What the route's `@Auth` or `@Public` states besides roles and scopes. */
  facts: RouteFacts;
}

const joinPath = (...parts: string[]): string =>
  `/${parts.flatMap((part) => part.split('/')).filter((part) => part !== '').join('/')}`;

/** Every route the application serves, with the policy its decorators declare, read from Nest's metadata. */
export function routeTable(app: NestFastifyApplication): RoutePolicy[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: RoutePolicy[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller) continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string;
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, () => unknown>)[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const targets = [handler, controller];
      const fullPath = joinPath(prefix, path);
      const facts = routeFactsOf(reflector, { getHandler: () => handler, getClass: () => controller } as unknown as ExecutionContext);
      routes.push({
        method,
        path: fullPath,
        public: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
        roles: reflector.getAllAndOverride(Roles, targets),
        scopes: reflector.getAllAndOverride(Scopes, targets),
        tenantScoped: facts.tenantParameter !== undefined,
        facts,
      });
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** One line a route: who may reach it. */
export function describePolicy(route: RoutePolicy): string {
  if (route.public) return `${route.method} ${route.path} — public`;
  const parts = [
    route.tenantScoped ? 'same tenant or superadmin' : undefined,
    route.roles ? `roles ${route.roles.join('|')}` : undefined,
    `scopes ${(route.scopes ?? ['profile']).join(' ')}`,
  ].filter((part) => part !== undefined);
  return `${route.method} ${route.path} — ${parts.join('; ')}`;
}
