import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { login, registerUser, type TokenPair, uniqueEmail } from '../support/factories.js';
import { createClient, createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { routeTable } from '../support/route-table.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Values a careless or hostile client sends where a field's value goes. */
const HOSTILE_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['a negative number', -1],
  ['a huge number', 1e308],
  ['a fraction', 0.5],
  ['an empty string', ''],
  ['spaces', '   '],
  ['a NUL byte', 'a\u0000b@x.io'],
  ['control characters', 'a\u0001\u001f\u007fb'],
  ['invisible format characters', 'a\u200b\u202e\u2066\ufeffb@x.io'],
  ['an unpaired surrogate', 'a\ud800b'],
  ['10,000 characters', 'a'.repeat(10_000)],
  ['200 variation selectors', 'a\ufe0f'.repeat(200)],
  ['500 combining marks', `e${'\u0301'.repeat(500)}`],
  ['astral characters', '😀'.repeat(150)],
  ['an empty array', []],
  ['an array of strings', ['x', 'y']],
  ['an array of nulls', [null]],
  ['an empty object', {}],
  ['a nested object', { a: { b: 'c' } }],
  ['a prototype key', JSON.parse('{"__proto__": {"admin": true}}') as unknown],
];

/** Path and query parameter values (they arrive as text). */
const HOSTILE_TEXT: string[] = ['', ' ', 'null', '-1', '0', '1e309', 'NaN', 'a%00b', '%ud800', 'x'.repeat(150), '../../etc', '%E2%80%AE', "' OR 1=1 --", '😀'];

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** A body the route accepts, built afresh for each request (unique emails and slugs). */
  body?: () => Record<string, unknown>;
  form?: boolean;
}


/** The OAuth endpoints, which answer errors in RFC 6749 form. */
const OAUTH_PATHS = ['/auth/token', '/auth/revoke', '/auth/introspect'];
describe('No input yields a 5xx: every route, every field, hostile values', () => {
  let t: TestApp;
  let superadmin: TokenPair;
  let tenant: Tenant;
  let admin: TokenPair;
  let user: { email: string; password: string; tokens: TokenPair };
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '1000' });
    superadmin = await superadminTokens(t);
    tenant = await createTenant(t, superadmin, { selfSignup: true });
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    const registered = await registerUser(t);
    user = { ...registered, tokens: await login(t, registered) };
    const member = await createUser(t, admin, tenant, ['user']);
    const client = await createClient(t, admin, tenant, ['users:read']);
    ids = { tenantId: tenant.id, userId: member.id, clientId: client.clientId, sessionId: randomUUID() };
  });
  afterAll(() => t.close());

  /** Bodies each body-taking route accepts; every field of them is then spoiled in turn. */
  function operations(): Operation[] {
    const password = () => `pw ${randomUUID()}`;
    return [
      { method: 'post', path: '/auth/register', body: () => ({ tenant: tenant.slug, email: uniqueEmail(), password: password(), name: 'Ada' }) },
      { method: 'post', path: '/auth/login', body: () => ({ tenant: 'default', email: user.email, password: user.password, scope: 'profile' }) },
      { method: 'post', path: '/auth/token', body: () => ({ grant_type: 'password', username: user.email, password: user.password, scope: 'profile', tenant: 'default' }) },
      { method: 'post', path: '/auth/token', form: true, body: () => ({ grant_type: 'password', username: user.email, password: user.password, scope: 'profile' }) },
      { method: 'post', path: '/auth/token', body: () => ({ grant_type: 'refresh_token', refresh_token: 'no-such-token' }) },
      { method: 'post', path: '/auth/token', body: () => ({ grant_type: 'client_credentials', client_id: ids.clientId, client_secret: 'wrong' }) },
      { method: 'post', path: '/auth/refresh', body: () => ({ refresh_token: 'no-such-token' }) },
      { method: 'post', path: '/auth/revoke', body: () => ({ token: 'no-such-token', token_type_hint: 'refresh_token' }) },
      { method: 'post', path: '/auth/introspect', body: () => ({ token: 'no-such-token', token_type_hint: 'access_token' }) },
      { method: 'post', path: '/auth/password', body: () => ({ currentPassword: 'not the password', newPassword: password() }) },
      { method: 'patch', path: '/users/me', body: () => ({ name: 'Ada' }) },
      { method: 'post', path: '/tenants/:tenantId/users', body: () => ({ email: uniqueEmail(), password: password(), name: 'Bob', roles: ['user'] }) },
      { method: 'patch', path: '/tenants/:tenantId/users/:userId', body: () => ({ name: 'Bob', roles: ['user'], active: true }) },
      { method: 'post', path: '/tenants/:tenantId/clients', body: () => ({ name: 'client', scopes: ['users:read'] }) },
      {
        method: 'post',
        path: '/tenants',
        body: () => ({ slug: `h-${randomUUID().slice(0, 8)}`, name: 'Tenant', selfSignup: false, admin: { email: uniqueEmail(), password: password(), name: 'Admin' } }),
      },
      { method: 'patch', path: '/tenants/:tenantId', body: () => ({ name: 'Tenant', selfSignup: true, active: true }) },
    ];
  }

  /** The token a route is called with: the user's own routes as the user, the rest as the superadmin. */
  const tokenFor = (path: string): string => (path.startsWith('/users/me') || path === '/auth/password' ? user.tokens : superadmin).access_token;

  function send(operation: Operation, path: string, body?: unknown, query?: Record<string, string>) {
    let request = t.api()[operation.method](path).set('Authorization', `Bearer ${tokenFor(operation.path)}`);
    if (query) request = request.query(query);
    if (body === undefined) return request;
    return operation.form ? request.type('form').send(body as Record<string, string>) : request.send(body as object);
  }

  /** A 4xx in the contract's shape (RFC 6749's on the token endpoint), or a success: never a 5xx. */
  function verdict(response: Response, tokenEndpoint: boolean): string | undefined {
    if (response.status >= 500) return `${response.status} ${JSON.stringify(response.body).slice(0, 160)}`;
    if (response.status < 400) return undefined;
    const body = response.body as Record<string, unknown>;
    const shaped = tokenEndpoint && typeof body.error === 'string' && typeof body.error_description === 'string'
      ? true
      : body.statusCode === response.status && typeof body.error === 'string' && body.message !== undefined && typeof body.code === 'string';
    return shaped ? undefined : `${response.status} not in the contract's shape: ${JSON.stringify(body).slice(0, 160)}`;
  }

  const concrete = (path: string, overrides: Record<string, string> = {}): string =>
    path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(overrides[name] ?? ids[name] ?? randomUUID()));

  it('answers every body field of every route, spoiled with each hostile value, with a 4xx or a success', async () => {
    const failures: string[] = [];
    for (const operation of operations()) {
      const fields = Object.keys(operation.body!());
      const nested = fields.flatMap((field) => {
        const value = operation.body!()[field];
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).map((inner) => [field, inner] as const) : [];
      });
      const spoilings: Array<[string, (body: Record<string, unknown>, value: unknown) => void]> = [
        ...fields.map((field): [string, (body: Record<string, unknown>, value: unknown) => void] => [field, (body, value) => void (body[field] = value)]),
        ...nested.map(([outer, inner]): [string, (body: Record<string, unknown>, value: unknown) => void] => [
          `${outer}.${inner}`,
          (body, value) => void ((body[outer] as Record<string, unknown>)[inner] = value),
        ]),
      ];
      for (const [field, spoil] of spoilings) {
        for (const [name, value] of HOSTILE_VALUES) {
          if (operation.form && typeof value !== 'string') continue;
          const body = operation.body!();
          spoil(body, value);
          const problem = verdict(await send(operation, concrete(operation.path), body), OAUTH_PATHS.includes(operation.path));
          if (problem) failures.push(`${operation.method.toUpperCase()} ${operation.path}${operation.form ? ' (form)' : ''} with ${field} = ${name}: ${problem}`);
        }
      }
      for (const [name, value] of HOSTILE_VALUES.filter(([, value]) => typeof value !== 'object' || value === null || Array.isArray(value))) {
        const raw = t.api()[operation.method](concrete(operation.path)).set('Authorization', `Bearer ${tokenFor(operation.path)}`).type('json').send(JSON.stringify(value));
        const problem = verdict(await raw, OAUTH_PATHS.includes(operation.path));
        if (problem) failures.push(`${operation.method.toUpperCase()} ${operation.path} with the whole body = ${name}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers every path and query parameter of every route, spoiled, with a 4xx or a success', async () => {
    const failures: string[] = [];
    const QUERY = ['limit', 'offset', 'q', 'type', 'actorId', 'subjectId', 'since', 'until', 'tenantId'];
    for (const route of routeTable(t.app).filter((candidate) => !candidate.public)) {
      const operation: Operation = { method: route.method.toLowerCase() as Operation['method'], path: route.path };
      const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      for (const text of HOSTILE_TEXT) {
        for (const name of names) {
          const problem = verdict(await send(operation, concrete(route.path, { [name]: text }).replace(encodeURIComponent(text), text.includes('%') ? text : encodeURIComponent(text))), false);
          if (problem) failures.push(`${route.method} ${route.path} with :${name} = ${JSON.stringify(text)}: ${problem}`);
        }
        if (route.method === 'GET') {
          for (const name of QUERY) {
            const problem = verdict(await send(operation, concrete(route.path), undefined, { [name]: text }), false);
            if (problem) failures.push(`${route.method} ${route.path} with ?${name}=${JSON.stringify(text)}: ${problem}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
