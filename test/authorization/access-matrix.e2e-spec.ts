import { randomUUID } from 'node:crypto';
import { CLIENT_SCOPES, type ContractRole, type ContractScope, ROLE_SCOPES } from '../support/contract-roles-and-scopes.js';
import { login, type TokenPair, uniqueEmail } from '../support/factories.js';
import { clientToken, createClient, createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { type RoutePolicy, routeTable } from '../support/route-table.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every protected route × every kind of caller. The expected answer is derived from the
 * route's declared policy (the committed snapshot) by the contract's rules, not written out
 * case by case; each allowed call is made with real arguments and must succeed. What each
 * caller holds comes from the contract's tables (test/support/contract-roles-and-scopes.ts),
 * not from the code under test.
 */

type CallerKind = 'nobody' | 'user' | 'moderator' | 'admin' | 'admin of another tenant' | 'superadmin' | 'client with the scopes' | 'client without them';
const CALLERS: CallerKind[] = ['nobody', 'user', 'moderator', 'admin', 'admin of another tenant', 'superadmin', 'client with the scopes', 'client without them'];

interface Caller {
  roles: ContractRole[];
  scopes: readonly ContractScope[];
  tenant: 'A' | 'B';
  client: boolean;
}

/**
 * What the matrix's request to a granting route grants (see `requestFor`): a client with
 * `users:read`, a user with the role `user`, a tenant with its first admin.
 */
const GRANTED: Record<string, readonly ContractScope[]> = {
  'POST /tenants/:tenantId/clients': ['users:read'],
  'POST /tenants/:tenantId/users': ['profile'],
  'POST /tenants': ROLE_SCOPES.admin,
};

/** The contract's rules, applied to a route's declared policy. */
function expectedOutcome(route: RoutePolicy, caller: Caller | undefined): string {
  if (!caller) return 'token_missing';
  const superadmin = caller.roles.includes('superadmin');
  if (route.tenantScoped && !superadmin && caller.tenant !== 'A') return 'tenant_mismatch';
  if (route.roles && !superadmin && !caller.client && !route.roles.some((role) => caller.roles.includes(role))) return 'insufficient_role';
  if (!(route.scopes ?? ['profile']).every((scope) => caller.scopes.includes(scope))) return 'insufficient_scope';
  // A caller never grants more than its own token holds.
  if (!(GRANTED[`${route.method} ${route.path}`] ?? []).every((scope) => caller.scopes.includes(scope))) return 'insufficient_scope';
  return 'allowed';
}

describe('Access matrix: every protected route × every kind of caller', () => {
  let t: TestApp;
  let superadmin: TokenPair;
  let tenantA: Tenant;
  let tenantB: Tenant;
  const accounts: Partial<Record<'user' | 'moderator' | 'admin' | 'adminB', { email: string; password: string; tenant: string }>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    superadmin = await superadminTokens(t);
    tenantA = await createTenant(t, superadmin);
    tenantB = await createTenant(t, superadmin);
    accounts.admin = { ...tenantA.admin, tenant: tenantA.slug };
    accounts.adminB = { ...tenantB.admin, tenant: tenantB.slug };
    accounts.user = await createUser(t, await adminA(), tenantA, ['user']);
    accounts.moderator = await createUser(t, await adminA(), tenantA, ['moderator']);
  });
  afterAll(() => t.close());

  /** Tenant A's admin, signed in afresh: matrix calls such as logout-all end earlier sessions. */
  const adminA = (): Promise<TokenPair> => login(t, accounts.admin!);

  /** A fresh token for the caller (some routes end the caller's session, so none is reused). */
  async function tokenFor(kind: CallerKind, route: RoutePolicy): Promise<{ tokens?: TokenPair; caller?: Caller; password?: string }> {
    const routeScopes = route.scopes ?? ['profile'];
    switch (kind) {
      case 'nobody':
        return {};
      case 'user':
      case 'moderator':
      case 'admin':
        return { tokens: await login(t, accounts[kind]!), caller: { roles: [kind], scopes: ROLE_SCOPES[kind], tenant: 'A', client: false }, password: accounts[kind]!.password };
      case 'admin of another tenant':
        return { tokens: await login(t, accounts.adminB!), caller: { roles: ['admin'], scopes: ROLE_SCOPES.admin, tenant: 'B', client: false }, password: accounts.adminB!.password };
      case 'superadmin': {
        const tokens = await login(t, SUPERADMIN);
        return { tokens, caller: { roles: ['superadmin'], scopes: ROLE_SCOPES.superadmin, tenant: 'B', client: false }, password: SUPERADMIN.password };
      }
      case 'client with the scopes':
      case 'client without them': {
        const holdable = CLIENT_SCOPES.filter((scope) => routeScopes.includes(scope));
        const withThem = routeScopes.length === 0 ? ['users:read' as const] : holdable.length === routeScopes.length ? holdable : [...CLIENT_SCOPES];
        const scopes = kind === 'client with the scopes' ? withThem : CLIENT_SCOPES.filter((scope) => !routeScopes.includes(scope));
        const client = await createClient(t, await adminA(), tenantA, scopes);
        return { tokens: await clientToken(t, client), caller: { roles: [], scopes, tenant: 'A', client: true } };
      }
    }
  }

  /** Real arguments for each route, with fresh targets where a call consumes them. */
  async function requestFor(route: RoutePolicy, tokens: TokenPair | undefined, password: string | undefined) {
    const path = route.path.replace(':tenantId', tenantA.id);
    let concrete = path;
    let body: object | undefined;
    if (path.includes(':userId')) concrete = path.replace(':userId', (await createUser(t, await adminA(), tenantA, ['user'])).id);
    if (path.includes(':clientId')) concrete = path.replace(':clientId', (await createClient(t, await adminA(), tenantA, ['users:read'])).clientId);
    if (path.includes(':sessionId')) concrete = path.replace(':sessionId', tokens ? String(JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString()).sid ?? randomUUID()) : randomUUID());
    const key = `${route.method} ${route.path}`;
    if (key === 'PATCH /users/me') body = { name: 'Matrix' };
    if (key === 'POST /auth/password') body = { currentPassword: password ?? 'x', newPassword: password ?? 'unused-password' };
    if (key === 'POST /auth/introspect') body = { token: tokens?.access_token ?? 'x' };
    if (key === 'POST /tenants') body = { slug: `m-${randomUUID().slice(0, 8)}`, name: 'Matrix', admin: { email: uniqueEmail(), password: 'matrix-password' } };
    if (key === 'PATCH /tenants/:tenantId') body = { name: 'Renamed' };
    if (key === 'POST /tenants/:tenantId/users') body = { email: uniqueEmail(), password: 'matrix-password', roles: ['user'] };
    if (key === 'PATCH /tenants/:tenantId/users/:userId') body = { name: 'Matrix' };
    if (key === 'POST /tenants/:tenantId/clients') body = { name: 'matrix', scopes: ['users:read'] };
    let request = t.api()[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](concrete);
    if (tokens) request = request.set('Authorization', `Bearer ${tokens.access_token}`);
    return body ? request.send(body) : request;
  }

  it('answers every call as the route’s policy says', async () => {
    const routes = routeTable(t.app).filter((route) => !route.public);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const mismatches: string[] = [];
    let allowedCalls = 0;
    for (const route of routes) {
      for (const kind of CALLERS) {
        const { tokens, caller, password } = await tokenFor(kind, route);
        const expected = expectedOutcome(route, caller);
        const response = await requestFor(route, tokens, password);
        const outcome = response.status < 300 ? 'allowed' : response.body.code;
        if (outcome !== expected) mismatches.push(`${route.method} ${route.path} as ${kind}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        if (expected === 'allowed') allowedCalls++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(allowedCalls).toBeGreaterThan(40);
  });
});
