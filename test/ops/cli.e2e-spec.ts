import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.js';
import { MIGRATIONS } from '../../src/database/data-source-options.js';
import { PasswordHasher } from '../../src/users/password-hasher.service.js';
import { login } from '../support/factories.js';
import { headerOf } from '../support/forge.js';
import { createTestDatabase, SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';
import { within } from '../support/polling.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('The operator CLI', () => {
  let databaseUrl: string;
  let env: Record<string, string>;
  let secretsDir: string;

  /** One command, in process, against the suite's database, with `stdin` piped in (not a terminal). */
  async function cliWithStdin(stdin: string, ...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const input = { stdin: Readable.from([Buffer.from(stdin)]), prompts: new PassThrough() };
    const code = await runCli(argv, env, { out: (text) => out.push(text), err: (text) => err.push(text), input });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const cli = (...argv: string[]): Promise<Run> => cliWithStdin('', ...argv);

  /** A file holding `secret` (and the line break an editor adds), as an operator would keep it. */
  async function secretFile(secret: string): Promise<string> {
    const path = join(secretsDir, randomUUID());
    await writeFile(path, `${secret}\n`, { mode: 0o600 });
    return path;
  }

  /** The service on the same database, to see what the commands did. */
  async function withService<T>(work: (t: TestApp) => Promise<T>): Promise<T> {
    const t = await startTestApp({ LOGIN_MAX_FAILURES: '2' }, databaseUrl);
    try {
      return await work(t);
    } finally {
      await t.close();
    }
  }

  beforeAll(async () => {
    secretsDir = await mkdtemp(join(tmpdir(), 'portcullis-cli-'));
    databaseUrl = await createTestDatabase();
    env = {
      DATABASE_URL: databaseUrl,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
      LOGIN_MAX_FAILURES: '2',
      JWT_SECRET: 'a-secret-that-must-never-be-printed-0123456789',
      BOOTSTRAP_ADMIN_EMAIL: SUPERADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: SUPERADMIN.password,
    };
  });

  afterAll(() => rm(secretsDir, { recursive: true, force: true }));

  it('runs the migrations on an empty database', async () => {
    const run = await cli('migrate');
    expect(run).toMatchObject({ code: 0, out: `Migrations are up to date: ${MIGRATIONS.length} applied, the latest ${MIGRATIONS.at(-1)!.name}` });
  });

  it('creates a tenant whose admin can sign in, recorded in the audit log as the operator, whose origin the tenant’s view hides', async () => {
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const run = await cliWithStdin('a-long-admin-password\n', 'create-tenant', slug, 'CLI Corp', '--admin-email', `boss@${slug}.example`, '--admin-password-stdin');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^Created tenant ${slug} \\(`));
    await withService(async (t) => {
      const tokens = await login(t, { email: `boss@${slug}.example`, password: 'a-long-admin-password', tenant: slug });
      expect(tokens.scope).toContain('users:write');
      const [event] = await t.sql<{ actor_id: string; ip: string }>("SELECT actor_id, ip FROM audit_events WHERE type = 'tenant.created' AND data->>'slug' = $1", [slug]);
      expect(event).toMatchObject({ actor_id: expect.stringMatching(/^cli:.+/), ip: 'cli' });
      // The operator's origin is the platform's: the tenant's own view shows none.
      const [tenantId] = (await t.sql<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug])).map((row) => row.id);
      const view = await t.api().get(`/tenants/${tenantId}/audit-events`).query({ type: 'tenant.created' }).set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
      expect(view.body.items).toEqual([expect.objectContaining({ actorId: expect.stringMatching(/^cli:.+/), ip: null, userAgent: null })]);
    });
    const again = await cli('create-tenant', slug, 'CLI Corp', '--admin-email', `boss@${slug}.example`, '--admin-password-file', await secretFile('a-long-admin-password'));
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/conflict/);
  });

  it('refuses a bad command line with usage and exit code 2, and an invalid tenant with 1', async () => {
    expect(await cli()).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command') });
    expect(await cli('create-tenant', 'x')).toMatchObject({ code: 2 });
    expect(await cli('create-tenant', 'ok-slug', 'Name', '--admin-email', 'a@b.example')).toMatchObject({ code: 2, err: expect.stringContaining('--admin-password-file <path>, --admin-password-stdin, or run it on a terminal') });
    expect(await cli('unlock', 'a', 'b', '--bogus')).toMatchObject({ code: 2 });
    const invalid = await cliWithStdin('a-long-admin-password', 'create-tenant', 'Not A Slug', 'Name', '--admin-email', 'a@b.example', '--admin-password-stdin');
    expect(invalid).toMatchObject({ code: 1, err: expect.stringContaining('slug') });
    expect(await cli('unlock', 'no-such-tenant', 'a@b.example')).toMatchObject({ code: 1, err: expect.stringContaining('No tenant') });
  });

  it('resets an admin: a generated password printed once, then a chosen one; the old ones stop working', async () => {
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const email = `admin@${slug}.example`;
    expect((await cliWithStdin('the-first-password\n', 'create-tenant', slug, 'Reset Corp', '--admin-email', email, '--admin-password-stdin')).code).toBe(0);

    const generated = await cli('reset-admin', slug, email);
    expect(generated.code).toBe(0);
    const password = /Generated password \(shown once\): (\S+)/.exec(generated.out)?.[1];
    expect(password).toHaveLength(24);

    const created = await cli('reset-admin', slug, `second@${slug}.example`, '--password-file', await secretFile('a-chosen-password'));
    expect(created).toMatchObject({ code: 0, out: `Created admin second@${slug}.example in tenant ${slug}` });

    await withService(async (t) => {
      await t.api().post('/auth/login').send({ email, password: 'the-first-password', tenant: slug }).expect(401);
      const tokens = await login(t, { email, password: password!, tenant: slug });
      expect(tokens.scope).toContain('users:write');
      await login(t, { email: `second@${slug}.example`, password: 'a-chosen-password', tenant: slug });
    });
  });

  it('takes a password from a file or from standard input: the accounts sign in with it, and their hashes verify it', async () => {
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const email = `files@${slug}.example`;
    const created = await cli('create-tenant', slug, 'File Corp', '--admin-email', email, '--admin-password-file', await secretFile('password-from-a-file'));
    expect(created).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Created tenant ${slug} `)) });
    await withService(async (t) => {
      await login(t, { email, password: 'password-from-a-file', tenant: slug });
    });

    const reset = await cliWithStdin('password-from-standard-input\n', 'reset-admin', slug, email, '--password-stdin');
    expect(reset).toMatchObject({ code: 0, out: `Reset admin ${email} in tenant ${slug} (its sessions have ended)` });
    expect(reset.out).not.toContain('Generated password');
    await withService(async (t) => {
      const [row] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email]);
      await expect(t.app.get(PasswordHasher).verify('password-from-standard-input', row.password_hash)).resolves.toBe(true);
      await login(t, { email, password: 'password-from-standard-input', tenant: slug });
      await t.api().post('/auth/login').send({ email, password: 'password-from-a-file', tenant: slug }).expect(401);
    });
  });

  it('refuses a password on the command line, naming the ways that replace it, without repeating it', async () => {
    const secret = 'secret-on-the-command-line';
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const attempts = [
      ['create-tenant', slug, 'Argv Corp', '--admin-email', `a@${slug}.example`, '--admin-password', secret],
      ['create-tenant', slug, 'Argv Corp', '--admin-email', `a@${slug}.example`, `--admin-password=${secret}`],
      ['reset-admin', 'default', `a@${slug}.example`, '--password', secret],
      ['reset-admin', 'default', `a@${slug}.example`, `--password=${secret}`],
    ];
    for (const argv of attempts) {
      const run = await cli(...argv);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/no longer takes --(admin-)?password: a password on the command line is seen by every user of the machine/);
      expect(run.err).toMatch(/--(admin-)?password-file <path>, with --(admin-)?password-stdin \(piped in\), or type it when asked on a terminal/);
      expect(`${run.out}${run.err}`).not.toContain(secret);
    }
    const both = await cliWithStdin(secret, 'reset-admin', 'default', `a@${slug}.example`, '--password-stdin', '--password-file', await secretFile(secret));
    expect(both).toMatchObject({ code: 2, err: expect.stringMatching(/^reset-admin takes --password-file or --password-stdin, not both\.\n\nUsage: /) });
    await withService(async (t) => {
      expect(await t.sql('SELECT 1 FROM tenants WHERE slug = $1', [slug])).toEqual([]);
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [`a@${slug}.example`])).toEqual([]);
    });
  });

  it('unlocks a locked account', async () => {
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const email = `locked@${slug}.example`;
    expect((await cliWithStdin('the-right-password', 'create-tenant', slug, 'Lock Corp', '--admin-email', email, '--admin-password-stdin')).code).toBe(0);
    await withService(async (t) => {
      for (let attempt = 0; attempt < 2; attempt++) await t.api().post('/auth/login').send({ email, password: 'a-wrong-password', tenant: slug }).expect(401);
      await t.api().post('/auth/login').send({ email, password: 'the-right-password', tenant: slug }).expect(429);
    });
    expect(await cli('unlock', slug, email)).toMatchObject({ code: 0, out: `Unlocked ${email} in tenant ${slug}` });
    await withService(async (t) => {
      await login(t, { email, password: 'the-right-password', tenant: slug });
      const events = await t.sql("SELECT 1 FROM audit_events WHERE type = 'account.unlocked' AND actor_id LIKE 'cli:%'");
      expect(events).toHaveLength(1);
    });
  });

  it('rotates the signing key: the new key is published, tokens signed before stay valid', async () => {
    const { before, token } = await withService(async (t) => ({
      before: (await t.api().get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>,
      token: await login(t, SUPERADMIN),
    }));
    const run = await cli('rotate-key');
    expect(run.code).toBe(0);
    const kid = /^Rotated the signing key: (\S+) is current$/.exec(run.out)?.[1];
    await withService(async (t) => {
      const after = (await t.api().get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>;
      expect(after.map((key) => key.kid)).toEqual(expect.arrayContaining([...before.map((key) => key.kid), kid]));
      await t.api().get('/users/me').set('Authorization', `Bearer ${token.access_token}`).expect(200);
    });
  });

  it('with --json, prints each result as one JSON object on one line, and each error as one on stderr', async () => {
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const email = `json@${slug}.example`;
    /** The one line of standard output, parsed; nothing on standard error. */
    const jsonOf = (run: Run): unknown => {
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out.split('\n')).toHaveLength(1);
      return JSON.parse(run.out);
    };

    const created = jsonOf(await cliWithStdin('a-long-admin-password', 'create-tenant', slug, 'JSON Corp', '--admin-email', email, '--admin-password-stdin', '--json'));
    expect(created).toEqual({ tenant: { id: expect.any(String), slug, name: 'JSON Corp' }, admin: { email } });
    const reset = jsonOf(await cli('--json', 'reset-admin', slug, email)) as { generatedPassword: string };
    expect(reset).toEqual({ tenant: slug, admin: { id: expect.any(String), email }, created: false, sessionsEnded: true, generatedPassword: expect.any(String) });
    expect(jsonOf(await cli('unlock', slug, email, '--json'))).toEqual({ tenant: slug, user: { id: expect.any(String), email } });
    const { current } = jsonOf(await cli('rotate-key', '--json')) as { current: string };
    expect(jsonOf(await cli('withdraw-key', current, '--json'))).toEqual({ withdrawn: current, current: expect.any(String) });
    expect(jsonOf(await cli('migrate', '--json'))).toEqual({ upToDate: true, applied: MIGRATIONS.length, latest: MIGRATIONS.at(-1)!.name });
    expect(jsonOf(await cli('config', '--json'))).toMatchObject({ jwt: { secret: '***' }, logLevel: 'silent' });
    expect(jsonOf(await cli('help', '--json'))).toEqual({ usage: expect.stringContaining('Usage: portcullis <command>') });
    await withService(async (t) => {
      await login(t, { email, password: reset.generatedPassword, tenant: slug });
    });

    const errors: Array<[string[], Record<string, unknown>]> = [
      [['frobnicate'], { error: 'usage', message: 'Unknown command "frobnicate".', exitCode: 2 }],
      [['unlock', slug, `nobody@${slug}.example`], { error: 'not_found', message: `No user nobody@${slug}.example in tenant ${slug}`, exitCode: 1 }],
      [['withdraw-key', current], { error: 'not_found', message: expect.stringMatching(/\(not_found\)$/), exitCode: 1 }],
    ];
    for (const [argv, error] of errors) {
      const run = await cli(...argv, '--json');
      expect(run.out).toBe('');
      expect(run.err.split('\n')).toHaveLength(1);
      expect(JSON.parse(run.err)).toEqual(error);
      expect(run.code).toBe(error.exitCode);
    }
  });

  const publishedKids = async (t: TestApp) => ((await t.api().get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>).map((key) => key.kid);

  it('withdraws a signing key: a running service refuses its tokens within a second, though it verified them before, and the operator is audited', async () => {
    await withService(async (t) => {
      const token = (await login(t, SUPERADMIN)).access_token;
      const kid = headerOf(token).kid as string;
      await t.api().get('/users/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect((await cli('rotate-key')).code).toBe(0);

      const run = await cli('withdraw-key', kid);
      expect(run).toMatchObject({ code: 0, out: `Withdrew the signing key ${kid}` });
      await within(1000, async () => (await t.api().get('/users/me').set('Authorization', `Bearer ${token}`)).status === 401 && !(await publishedKids(t)).includes(kid));
      const events = await t.sql<{ tenant_id: string | null; actor_id: string; ip: string; data: Record<string, unknown> }>(
        "SELECT tenant_id, actor_id, ip, data FROM audit_events WHERE type = 'key.withdrawn' AND subject_id = $1",
        [kid],
      );
      expect(events).toEqual([{ tenant_id: null, actor_id: expect.stringMatching(/^cli:.+/), ip: 'cli', data: { algorithm: 'ES256' } }]);

      expect(await cli('withdraw-key', kid)).toMatchObject({ code: 1, err: expect.stringContaining('not_found') });
      expect(await cli('withdraw-key')).toMatchObject({ code: 2, err: expect.stringContaining('<kid>') });
    });
  });

  it('withdraws the current signing key by making a new one current in the same step', async () => {
    await withService(async (t) => {
      const token = (await login(t, SUPERADMIN)).access_token;
      const kid = headerOf(token).kid as string;
      await t.api().get('/users/me').set('Authorization', `Bearer ${token}`).expect(200);

      const run = await cli('withdraw-key', kid);
      expect(run.code).toBe(0);
      const successor = new RegExp(`^Withdrew the signing key ${kid}; it was current, so (\\S+) is current now$`).exec(run.out)?.[1];
      expect(successor).toEqual(expect.any(String));
      await within(1000, async () => (await t.api().get('/users/me').set('Authorization', `Bearer ${token}`)).status === 401);
      await within(1000, async () => {
        const kids = await publishedKids(t);
        return kids.includes(successor!) && !kids.includes(kid);
      });
      const next = (await login(t, SUPERADMIN)).access_token;
      expect(headerOf(next).kid).toBe(successor);
      await t.api().get('/users/me').set('Authorization', `Bearer ${next}`).expect(200);
      const events = await t.sql<{ type: string; subject_id: string; data: Record<string, unknown> }>(
        "SELECT type, subject_id, data FROM audit_events WHERE (type = 'key.withdrawn' AND subject_id = $1) OR (type = 'key.rotated' AND subject_id = $2) ORDER BY type",
        [kid, successor],
      );
      expect(events).toEqual([
        { type: 'key.rotated', subject_id: successor, data: { algorithm: 'ES256', retired: [kid] } },
        { type: 'key.withdrawn', subject_id: kid, data: { algorithm: 'ES256', replacedBy: successor } },
      ]);
    });
  });

  it('prints the effective configuration without a secret, none of the database URL’s included', async () => {
    const withPassword = new URL(databaseUrl);
    withPassword.password = 'the-database-password';
    withPassword.searchParams.set('password', 'query-password-secret');
    withPassword.searchParams.set('sslpassword', 'key-passphrase-secret');
    withPassword.searchParams.set('sslkey', '/etc/secret-keys/client.key');
    withPassword.searchParams.set('passfile', '/etc/secret-keys/pgpass');
    withPassword.searchParams.set('application_name', 'portcullis-cli');
    env = { ...env, DATABASE_URL: withPassword.toString(), BOOTSTRAP_ADMIN_EMAIL: 'root@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-password-secret' };
    const run = await cli('config');
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.out);
    expect(shown.jwt.secret).toBe('***');
    expect(shown.bootstrapAdmin).toEqual({ email: 'root@example.com', password: '***' });
    const url = new URL(shown.database.url);
    expect(url.password).toBe('***');
    expect(Object.fromEntries(url.searchParams)).toEqual({ password: '***', sslpassword: '***', sslkey: '***', passfile: '***', application_name: 'portcullis-cli' });
    expect(url.host).toBe(withPassword.host);
    expect(shown.metrics).toEqual({ public: false });
    for (const secret of ['a-secret-that-must-never-be-printed', 'bootstrap-password-secret', 'the-database-password', 'query-password-secret', 'key-passphrase-secret', 'secret-keys']) {
      expect(run.out).not.toContain(secret);
    }
  });

  it('refuses an invalid configuration with the problem, then what to do, exit code 3', async () => {
    env = { ...env, METRICS_PUBLIC: 'yes' };
    const run = await cli('config');
    expect(run.code).toBe(3);
    expect(run.err.split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: METRICS_PUBLIC must be true or false/), 'Correct it in the environment (or .env) and run the command again.']);
  });
});
