import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../../src/audit/audit-trail.service.js';
import { MetricsService } from '../../src/ops/metrics/metrics.service.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { AccessTokenLifetime } from '../../src/tokens/access-token-lifetime.service.js';
import { RevocationService } from '../../src/tokens/revocation.service.js';
import { RevocationStore } from '../../src/tokens/revocation-store.js';
import { SessionsService } from '../../src/sessions/sessions.service.js';
import { LoginLockout } from '../../src/users/login-lockout.service.js';
import { PasswordHasher } from '../../src/users/password-hasher.service.js';
import { TenantUsersService } from '../../src/users/tenant-users.service.js';
import { UserCache } from '../../src/users/user-cache.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { type ContractRole, type ContractScope, ROLE_SCOPES } from '../support/contract-roles-and-scopes.js';
import { type MediumService, newMediumService } from '../support/medium-service.js';

type Actor = Parameters<TenantUsersService['create']>[2];

const ORIGIN = { ip: '192.0.2.9' };
const PASSWORD = 'a long enough password for tests';

/** A platform operator: a superadmin whose token holds every scope. */
const OPERATOR: Actor = { id: randomUUID(), isSuperadmin: true, scopes: [...ROLE_SCOPES.superadmin], origin: ORIGIN };

describe(TenantUsersService.name, () => {
  let medium: MediumService<TenantUsersService>;
  let sut: TenantUsersService;

  beforeAll(async () => {
    medium = await newMediumService(TenantUsersService, {
      real: [UsersService, PasswordHasher, TenantsService, SessionsService, AccessTokenLifetime, RevocationService, RevocationStore, LoginLockout, AuditTrail, UserCache, MetricsService],
    });
    sut = medium.sut;
  });
  afterAll(() => medium.close());

  async function newTenant(): Promise<string> {
    const slug = `t-${randomUUID().slice(0, 8)}`;
    const [tenant] = await medium.sql<{ id: string }>('INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id', [slug]);
    return tenant.id;
  }

  /** A user created by the operator (who may grant anything). */
  async function newUser(tenantId: string, roles: ContractRole[]): Promise<{ id: string; email: string }> {
    const user = await sut.create(tenantId, { email: `${randomUUID()}@example.test`, password: PASSWORD, roles }, OPERATOR);
    return { id: user.id, email: user.email };
  }

  /** An admin of the tenant acting, with the scopes its token holds (all an admin may hold, unless narrowed). */
  const adminActor = (admin: { id: string }, scopes: readonly ContractScope[] = ROLE_SCOPES.admin): Actor => ({ id: admin.id, isSuperadmin: false, scopes: [...scopes], origin: ORIGIN });

  const activeAdmins = async (tenantId: string) =>
    (await medium.sql<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1 AND active AND 'admin' = ANY(roles)`, [tenantId])).map((row) => row.id).sort();
  const eventsAbout = (subjectId: string) => medium.sql<{ type: string; actor_id: string | null }>('SELECT type, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY at', [subjectId]);

  it('creates a user in the tenant, its email as typed (keyed canonically) and its password only as a hash, and records who created it', async () => {
    const tenantId = await newTenant();
    const admin = await newUser(tenantId, ['admin']);

    const user = await sut.create(tenantId, { email: 'Someone@Example.TEST', password: PASSWORD, name: 'Someone', roles: ['moderator'] }, adminActor(admin));

    expect(user).toMatchObject({ tenantId, email: 'Someone@Example.TEST', name: 'Someone', roles: ['moderator'], active: true });
    const [stored] = await medium.sql<{ tenant_id: string; email_key: string; password_hash: string }>('SELECT tenant_id, email_key, password_hash FROM users WHERE id = $1', [user.id]);
    expect(stored.tenant_id).toBe(tenantId);
    expect(stored.email_key).toBe('someone@example.test');
    expect(stored.password_hash).toMatch(/^\$2[aby]\$04\$/);
    expect(stored.password_hash).not.toContain(PASSWORD);
    expect(await eventsAbout(user.id)).toEqual([{ type: 'user.created', actor_id: admin.id }]);
  });

  it('refuses a user of a tenant that does not exist, and creates nothing', async () => {
    const email = `${randomUUID()}@example.test`;
    await expect(sut.create(randomUUID(), { email, password: PASSWORD, roles: ['user'] }, OPERATOR)).rejects.toMatchObject({ name: 'DomainError', code: 'not_found' });
    expect(await medium.sql('SELECT 1 FROM users WHERE email = $1', [email])).toEqual([]);
  });

  it('grants superadmin to no one unless the actor is a superadmin, on creation or update, and changes nothing', async () => {
    const tenantId = await newTenant();
    const admin = await newUser(tenantId, ['admin']);
    const user = await newUser(tenantId, ['user']);
    const email = `${randomUUID()}@example.test`;

    await expect(sut.create(tenantId, { email, password: PASSWORD, roles: ['superadmin'] }, adminActor(admin))).rejects.toMatchObject({ code: 'insufficient_role' });
    await expect(sut.update(tenantId, user.id, { roles: ['user', 'superadmin'] }, adminActor(admin))).rejects.toMatchObject({ code: 'insufficient_role' });

    expect(await medium.sql('SELECT 1 FROM users WHERE email = $1', [email])).toEqual([]);
    expect(await medium.sql('SELECT roles FROM users WHERE id = $1', [user.id])).toEqual([{ roles: ['user'] }]);
    expect((await eventsAbout(user.id)).map((event) => event.type)).toEqual(['user.created']);
  });

  it('grants no role whose scopes the actor’s token does not hold', async () => {
    const tenantId = await newTenant();
    const admin = await newUser(tenantId, ['admin']);
    const narrowed = adminActor(admin, ['profile', 'users:write']);

    await expect(sut.create(tenantId, { email: `${randomUUID()}@example.test`, password: PASSWORD, roles: ['moderator'] }, narrowed)).rejects.toMatchObject({
      code: 'insufficient_scope',
      details: { requiredScopes: ['users:read'] },
    });
    await expect(sut.create(tenantId, { email: `${randomUUID()}@example.test`, password: PASSWORD, roles: ['user'] }, narrowed)).resolves.toMatchObject({ roles: ['user'] });
  });

  it('never leaves a tenant without an active admin: its last one is not demoted, disabled or deleted', async () => {
    const tenantId = await newTenant();
    const admin = await newUser(tenantId, ['admin']);
    const actor = adminActor(admin);

    await expect(sut.update(tenantId, admin.id, { roles: ['user'] }, actor)).rejects.toMatchObject({ name: 'DomainError', code: 'conflict' });
    await expect(sut.update(tenantId, admin.id, { active: false }, actor)).rejects.toMatchObject({ code: 'conflict' });
    await expect(sut.remove(tenantId, admin.id, actor)).rejects.toMatchObject({ code: 'conflict' });
    await expect(sut.remove(tenantId, admin.id, OPERATOR)).rejects.toMatchObject({ code: 'conflict' });

    expect(await activeAdmins(tenantId)).toEqual([admin.id]);
    expect((await eventsAbout(admin.id)).map((event) => event.type)).toEqual(['user.created']);
  });

  it('lets an admin go while another active one remains, and then keeps that one', async () => {
    const tenantId = await newTenant();
    const first = await newUser(tenantId, ['admin']);
    const second = await newUser(tenantId, ['admin']);

    await expect(sut.update(tenantId, first.id, { roles: ['user'] }, adminActor(second))).resolves.toMatchObject({ roles: ['user'] });

    expect(await activeAdmins(tenantId)).toEqual([second.id]);
    await expect(sut.remove(tenantId, second.id, adminActor(second))).rejects.toMatchObject({ code: 'conflict' });
    // A disabled admin is no admin to fall back on.
    const disabled = await newUser(tenantId, ['admin']);
    await sut.update(tenantId, disabled.id, { active: false }, adminActor(second));
    await expect(sut.update(tenantId, second.id, { active: false }, adminActor(second))).rejects.toMatchObject({ code: 'conflict' });
    expect(await activeAdmins(tenantId)).toEqual([second.id]);
  });

  it('lets only one of two admins deleted at the same time go', async () => {
    const tenantId = await newTenant();
    const admins = [await newUser(tenantId, ['admin']), await newUser(tenantId, ['admin'])];
    // Connections open beforehand, so that both deletions reach the database together.
    await Promise.all(Array.from({ length: 4 }, () => medium.get(DataSource).query('SELECT pg_sleep(0.05)')));

    const outcomes = await Promise.allSettled(admins.map((admin) => sut.remove(tenantId, admin.id, OPERATOR)));

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as { code?: string }).code] : []))).toEqual(['conflict']);
    expect(await activeAdmins(tenantId)).toHaveLength(1);
  });
});
