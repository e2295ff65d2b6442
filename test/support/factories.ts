import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export interface TokenPair {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

export interface RegisteredUser {
  id: string;
  tenantId: string;
  email: string;
  password: string;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

export async function registerUser(
  t: TestApp,
  fields: { email?: string; password?: string; name?: string; tenant?: string } = {},
): Promise<RegisteredUser> {
  const email = fields.email ?? uniqueEmail();
  const password = fields.password ?? `pw-${randomUUID()}`;
  const response = await t.api().post('/auth/register').send({ ...fields, email, password });
  if (response.status !== 201) throw new Error(`register answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { id: response.body.id, tenantId: response.body.tenantId, email, password };
}

export async function login(
  t: TestApp,
  credentials: { email: string; password: string; tenant?: string; scope?: string },
): Promise<TokenPair> {
  const { email, password, tenant, scope } = credentials;
  const response = await t.api().post('/auth/login').send({ email, password, tenant, scope });
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as TokenPair;
}

/** A new user of the default tenant, signed in. */
export async function signedInUser(t: TestApp): Promise<RegisteredUser & { tokens: TokenPair }> {
  const user = await registerUser(t);
  return { ...user, tokens: await login(t, user) };
}

/** A tenant arranged directly in the database, without an admin: for suites about something else than tenant administration (`createTenant` in principals.ts goes through its route). */
export async function insertTenant(t: TestApp, fields: { slug?: string; selfSignup?: boolean; active?: boolean } = {}) {
  const slug = fields.slug ?? `t-${randomUUID().slice(0, 8)}`;
  const [row] = await t.sql<{ id: string }>(
    'INSERT INTO tenants (slug, name, self_signup, active) VALUES ($1, $1, $2, $3) RETURNING id',
    [slug, fields.selfSignup ?? true, fields.active ?? true],
  );
  return { id: row.id, slug };
}
