import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Module, Req, UseGuards } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { errors as joseErrors } from 'jose';
import type { Algorithm } from 'jsonwebtoken';
import request from 'supertest';
import { PORTCULLIS_SETTINGS, PortcullisAuthGuard, PortcullisJwtStrategy, type PortcullisSettings } from '../../docs/examples/resource-servers/portcullis-jwt.strategy.js';
import { createAccessTokenVerifier } from '../../docs/examples/resource-servers/verify-with-jose.js';
import { login, type TokenPair } from '../support/factories.js';
import { claimsOf, headerOf, hmacToken, signWith, unsignedToken } from '../support/forge.js';
import { freePort } from '../support/free-port.mjs';
import { clientToken, createClient, createTenant, createUser, superadminTokens } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 19: the examples of docs/API-GUIDE.md ("Verifying access tokens in your service"), run as
 * they are written against the service over real HTTP, so that the guide cannot rot. Each one
 * fetches the JWKS from a listening instance (the issuer is its listening address), is handed real
 * access tokens, and tokens forged one flaw at a time; the control, signed the same way with no
 * flaw, is accepted, so each refusal is the flaw's.
 */

// Jest runs from the repository's root (rootDir).
const EXAMPLES = join(process.cwd(), 'docs/examples/resource-servers');
const GUIDE = join(process.cwd(), 'docs/API-GUIDE.md');
const PYTHON = '/usr/bin/python3';

describe('docs/API-GUIDE.md, "Verifying access tokens in your service"', () => {
  it('quotes each of the three examples verbatim from its file', () => {
    // A quote is the fenced block right after the line that links its file.
    const quotes = [...readFileSync(GUIDE, 'utf8').matchAll(/\]\(examples\/resource-servers\/([^)/]+)\)[^\n]*\n\n```\w+\n([\s\S]*?)\n```/g)].map(([, file, block]) => ({ file, block }));
    expect(quotes.map(({ file }) => file).sort()).toEqual(['portcullis-jwt.strategy.ts', 'verify-with-jose.ts', 'verify_with_pyjwt.py']);
    for (const { file, block } of quotes) expect({ file, quotedVerbatim: readFileSync(join(EXAMPLES, file), 'utf8').includes(block) }).toEqual({ file, quotedVerbatim: true });
  });
});

/** What an example made of a token: its claims, or why it refused it. */
type Verdict = { accepted: Record<string, unknown> } | { refused: string };

interface Example {
  name: string;
  verify: (token: string) => Promise<Verdict>;
  close: () => Promise<void>;
}

/** verify-with-jose.ts, called in this process. */
function joseExample(settings: PortcullisSettings): Example {
  const verify = createAccessTokenVerifier(settings);
  return {
    name: 'jose',
    verify: async (token) => {
      try {
        return { accepted: await verify(token) };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return { refused: `${error.code}: ${error.message}` };
        throw error;
      }
    },
    close: () => Promise.resolve(),
  };
}

/** verify_with_pyjwt.py, run as its docstring says: one Python process per token. */
function pyjwtExample(settings: PortcullisSettings): Example {
  const options = ['--issuer', settings.issuer, '--audience', settings.audience, '--jwks-uri', settings.jwksUri, ...settings.algorithms.flatMap((algorithm) => ['--algorithm', algorithm])];
  return {
    name: 'PyJWT',
    verify: async (token) => {
      const { status, stdout, stderr } = await run(PYTHON, [join(EXAMPLES, 'verify_with_pyjwt.py'), ...options, token]);
      if (status === 0) return { accepted: JSON.parse(stdout) as Record<string, unknown> };
      // Anything else (a traceback, a usage error) is the example failing, not refusing.
      if (status === 1 && stderr.startsWith('refused: ')) return { refused: stderr.trim() };
      throw new Error(`verify_with_pyjwt.py exited with ${status}: ${stderr}`);
    },
    close: () => Promise.resolve(),
  };
}

function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

@Controller()
class ClaimsController {
  @Get('claims')
  @UseGuards(PortcullisAuthGuard)
  claims(@Req() guarded: { user: Record<string, unknown> }): Record<string, unknown> {
    return guarded.user;
  }
}

/**
 * portcullis-jwt.strategy.ts in a Nest application of its own, wired as its comment says, asked
 * over HTTP. Passport's strategy registry is process-wide: one such application at a time.
 */
async function nestExample(settings: PortcullisSettings): Promise<Example> {
  @Module({
    imports: [PassportModule],
    controllers: [ClaimsController],
    providers: [{ provide: PORTCULLIS_SETTINGS, useValue: settings }, PortcullisJwtStrategy],
  })
  class ResourceServerModule {}

  const moduleRef = await Test.createTestingModule({ imports: [ResourceServerModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    name: 'NestJS passport-jwt + jwks-rsa',
    verify: async (token) => {
      const response = await request(app.getHttpServer()).get('/claims').set('Authorization', `Bearer ${token}`);
      if (response.status === 200) return { accepted: response.body };
      if (response.status === 401) return { refused: `401 ${JSON.stringify(response.body)}` };
      throw new Error(`the resource server answered ${response.status}: ${JSON.stringify(response.body)}`);
    },
    close: () => app.close(),
  };
}

/** Tokens signed with the service's own key (read from its database), flawed one way at a time. */
interface Forger {
  /** The control's header and claims (a real user token's, freshly dated), with these overrides; `undefined` drops a member. */
  sign: (header?: Record<string, unknown>, claims?: Record<string, unknown>) => string;
  /** The same header and claims, for a signer of the test's own. */
  header: (overrides?: Record<string, unknown>) => Record<string, unknown> & { alg: string };
  claims: (overrides?: Record<string, unknown>) => Record<string, unknown>;
  /** The published key, as PEM, for the algorithm-confusion forgery. */
  publicKeyPem: string;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** A fresh key of the same type as the service's: what an attacker would sign with. */
function foreignKeyFor(algorithm: string): KeyObject {
  return algorithm === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** Every refusal the guide promises, each as a name and a token made with a Forger; per algorithm, since RSA keys have a sibling algorithm. */
function refusalsFor(algorithm: string): Array<[string, (f: Forger) => string]> {
  const refusals: Array<[string, (f: Forger) => string]> = [
    ['a token for another audience', (f) => f.sign({}, { aud: 'another-service' })],
    ['a token from another issuer', (f) => f.sign({}, { iss: 'https://evil.example' })],
    ['a token expired a minute ago (past the 30 s leeway)', (f) => f.sign({}, { iat: now() - 900, exp: now() - 60 })],
    ['a token without exp (it would never expire)', (f) => f.sign({}, { exp: undefined })],
    ['a token without client_id (RFC 9068 §2.2)', (f) => f.sign({}, { client_id: undefined })],
    ['a JWT whose typ is JWT, not at+jwt (RFC 9068 §4)', (f) => f.sign({ typ: 'JWT' })],
    ['a JWT without typ', (f) => f.sign({ typ: undefined })],
    ['a token signed by a key not in the JWKS, carrying the kid of one that is', (f) => signWith(foreignKeyFor(algorithm), f.header(), f.claims())],
    ['a token signed by a key not in the JWKS, with a kid of its own', (f) => signWith(foreignKeyFor(algorithm), f.header({ kid: 'attacker-key' }), f.claims())],
    ['alg none (an unsigned token) carrying the service’s kid', (f) => unsignedToken(f.header(), f.claims())],
    ['HS256 keyed with the published public key (algorithm confusion)', (f) => hmacToken(f.publicKeyPem, f.header(), f.claims())],
  ];
  const sibling = { RS256: 'PS256', PS256: 'RS256' }[algorithm];
  if (sibling) refusals.push([`the service’s own key under ${sibling} (the algorithm is pinned)`, (f) => f.sign({ alg: sibling })]);
  return refusals;
}

describe.each(['ES256', 'RS256', 'PS256'])('The resource-server examples of the API guide, verifying %s access tokens', (algorithm) => {
  let t: TestApp;
  let examples: Example[] = [];
  let tenantId: string;
  let user: { id: string; tokens: TokenPair };
  let client: { clientId: string; clientSecret: string };
  let forger: Forger;

  beforeAll(async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    t = await startTestApp({ JWT_ISSUER: issuer, JWT_ALG: algorithm });
    await t.app.listen(port, '127.0.0.1');

    const tenant = await createTenant(t, await superadminTokens(t));
    tenantId = tenant.id;
    const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    const member = await createUser(t, admin, tenant, ['moderator']);
    client = await createClient(t, admin, tenant, ['users:read']);
    // The user signs in through the client (the password grant; the client names the tenant), so the token’s client_id is the client’s.
    const grant = await t.api().post('/auth/token').auth(client.clientId, client.clientSecret).type('form').send({
      grant_type: 'password',
      username: member.email,
      password: member.password,
      scope: 'profile users:read',
    });
    if (grant.status !== 200) throw new Error(`the password grant answered ${grant.status}: ${JSON.stringify(grant.body)}`);
    user = { id: member.id, tokens: grant.body };

    const { kid } = headerOf(user.tokens.access_token);
    const [row] = await t.sql<{ private_key_pem: string }>('SELECT private_key_pem FROM signing_keys WHERE kid = $1', [kid]);
    const signingKey = createPrivateKey(row.private_key_pem);
    const header = (overrides: Record<string, unknown> = {}) => ({ ...headerOf(user.tokens.access_token), ...overrides }) as Record<string, unknown> & { alg: string };
    const claims = (overrides: Record<string, unknown> = {}) => ({ ...claimsOf(user.tokens.access_token), iat: now(), exp: now() + 600, ...overrides });
    forger = {
      sign: (headerOverrides = {}, claimOverrides = {}) => signWith(signingKey, header(headerOverrides), claims(claimOverrides)),
      header,
      claims,
      publicKeyPem: createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString(),
    };

    // What the guide tells a service to configure: the deployment's issuer, audience, JWKS and JWT_ALG.
    const settings: PortcullisSettings = {
      issuer,
      audience: t.config.jwt.audience,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      algorithms: [algorithm as Algorithm],
    };
    examples = [joseExample(settings), pyjwtExample(settings), await nestExample(settings)];
  });

  afterAll(async () => {
    await Promise.all(examples.map((example) => example.close()));
    await t?.close();
  });

  /** Each example's verdict on the token, by name. */
  async function verdicts(token: string | (() => string)): Promise<Record<string, Verdict>> {
    const verdictOf: Record<string, Verdict> = {};
    // One at a time, each on a token made just before (a leeway case must not age while another example runs).
    for (const example of examples) verdictOf[example.name] = await example.verify(typeof token === 'string' ? token : token());
    return verdictOf;
  }

  const eachExample = <T>(value: T): Record<string, T> => Object.fromEntries(examples.map((example) => [example.name, value]));

  it('accepts a user’s access token, answering its claims: sub, client_id, tid, roles, scope', async () => {
    expect(await verdicts(user.tokens.access_token)).toEqual(
      eachExample({
        accepted: expect.objectContaining({
          sub: user.id,
          client_id: client.clientId,
          tid: tenantId,
          roles: ['moderator'],
          scope: 'profile users:read',
          aud: t.config.jwt.audience,
          iss: t.config.jwt.issuer,
          auth_time: expect.any(Number),
        }),
      }),
    );
  });

  it('accepts a client_credentials access token, whose subject is the client', async () => {
    const { access_token } = await clientToken(t, client);
    expect(await verdicts(access_token)).toEqual(
      eachExample({ accepted: expect.objectContaining({ sub: `client:${client.clientId}`, client_id: client.clientId, tid: tenantId, scope: 'users:read' }) }),
    );
  });

  it('accepts the control (the service’s key, its header and claims, freshly dated) and a token expired 10 s ago (within the 30 s leeway)', async () => {
    expect(await verdicts(() => forger.sign())).toEqual(eachExample({ accepted: expect.objectContaining({ sub: user.id }) }));
    expect(await verdicts(() => forger.sign({}, { iat: now() - 900, exp: now() - 10 }))).toEqual(eachExample({ accepted: expect.objectContaining({ sub: user.id }) }));
  });

  it.each(refusalsFor(algorithm))('refuses %s, in all three examples', async (_case, forge) => {
    expect(await verdicts(() => forge(forger))).toEqual(eachExample({ refused: expect.any(String) }));
  });
});
