import { randomUUID } from 'node:crypto';
import { login, type TokenPair, uniqueEmail } from './factories.js';
import { SUPERADMIN, type TestApp } from './test-app.js';

export interface Tenant {
  id: string;
  slug: string;
  admin: { email: string; password: string };
}

/** Creates a tenant (and its first admin) through the platform route, as a superadmin would. */
export async function createTenant(t: TestApp, superadmin: TokenPair, fields: { selfSignup?: boolean } = {}): Promise<Tenant> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const admin = { email: uniqueEmail('admin'), password: `pw-${randomUUID()}` };
  const response = await t.api().post('/tenants').set('Authorization', `Bearer ${superadmin.access_token}`).send({ slug, name: slug, ...fields, admin });
  if (response.status !== 201) throw new Error(`POST /tenants answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { id: response.body.id, slug, admin };
}

/** Creates a user with roles in a tenant through the admin route, and answers their credentials and id. */
export async function createUser(t: TestApp, admin: TokenPair, tenant: Tenant, roles: string[]) {
  const credentials = { email: uniqueEmail(roles.join('-')), password: `pw-${randomUUID()}`, tenant: tenant.slug };
  const response = await t
    .api()
    .post(`/tenants/${tenant.id}/users`)
    .set('Authorization', `Bearer ${admin.access_token}`)
    .send({ email: credentials.email, password: credentials.password, roles });
  if (response.status !== 201) throw new Error(`POST users answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { ...credentials, id: response.body.id as string };
}

export async function createClient(t: TestApp, admin: TokenPair, tenant: Tenant, scopes: string[]) {
  const response = await t
    .api()
    .post(`/tenants/${tenant.id}/clients`)
    .set('Authorization', `Bearer ${admin.access_token}`)
    .send({ name: `client-${randomUUID().slice(0, 6)}`, scopes });
  if (response.status !== 201) throw new Error(`POST clients answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { clientId: response.body.clientId as string, clientSecret: response.body.clientSecret as string, scopes };
}

/** Creates a public API client (a single-page or native app: no secret, no scopes of its own). */
export async function createPublicClient(t: TestApp, admin: TokenPair, tenant: Tenant) {
  const response = await t
    .api()
    .post(`/tenants/${tenant.id}/clients`)
    .set('Authorization', `Bearer ${admin.access_token}`)
    .send({ name: `public-${randomUUID().slice(0, 6)}`, type: 'public' });
  if (response.status !== 201) throw new Error(`POST clients answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { clientId: response.body.clientId as string };
}

export async function clientToken(t: TestApp, client: { clientId: string; clientSecret: string }, scope?: string): Promise<TokenPair> {
  const response = await t
    .api()
    .post('/auth/token')
    .auth(client.clientId, client.clientSecret)
    .type('form')
    .send({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  if (response.status !== 200) throw new Error(`client_credentials answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as TokenPair;
}

export const superadminTokens = (t: TestApp): Promise<TokenPair> => login(t, SUPERADMIN);
