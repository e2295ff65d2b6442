import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Strategy as PassportJwtStrategy } from 'passport-jwt';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../access/principal.js';
import type { AppConfig } from '../config/app-config.js';
import { AccessTokenVerifier } from './access-token-verifier.service.js';
import type { LoadedKey, SigningKeysService } from './signing-keys.service.js';
import { JwtStrategy, type PresentedAccessToken } from './jwt.strategy.js';

type Verifier = (token: string, key: unknown, options: unknown, done: (error: unknown, decoded?: unknown) => void) => void;
const passportJwt = PassportJwtStrategy as unknown as { JwtVerifier: Verifier };

interface Outcome {
  principal?: Principal;
  failure?: unknown;
  error?: unknown;
}

describe(JwtStrategy.name, () => {
  const jwt: AppConfig['jwt'] = { algorithm: 'ES256', issuer: 'https://issuer.test', audience: 'portcullis', accessTokenTtlSeconds: 900 };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key: LoadedKey = { kid: 'key-1', algorithm: 'ES256', signingKey: privateKey, verificationKey: publicKey };
  const keys = { find: (kid: string) => (kid === key.kid ? key : undefined) } as unknown as SigningKeysService;
  const config = { get: () => jwt } as unknown as ConfigService<AppConfig, true>;
  const jwtService = new JwtService({ signOptions: { algorithm: 'ES256', issuer: jwt.issuer, audience: jwt.audience, expiresIn: 900 } });
  const sut = new JwtStrategy(config, new AccessTokenVerifier(keys, jwtService));
  const realVerifier = passportJwt.JwtVerifier;
  let signatureChecks = 0;

  beforeEach(() => {
    signatureChecks = 0;
    passportJwt.JwtVerifier = (...args) => {
      signatureChecks++;
      realVerifier(...args);
    };
  });
  afterAll(() => {
    passportJwt.JwtVerifier = realVerifier;
  });

  const sign = (header: { alg?: 'ES256' | 'HS256'; [member: string]: unknown }, { sub = 'user-1', ...claims }: Record<string, unknown> = {}, signingKey: KeyObject = privateKey): string =>
    jwtService.sign(
      { tid: 'tenant-1', roles: ['user'], scope: 'profile', ...claims },
      {
        privateKey: signingKey,
        algorithm: header.alg ?? 'ES256',
        subject: sub as string,
        jwtid: 'token-1',
        keyid: 'key-1',
        header: { alg: 'ES256', typ: 'at+jwt', ...header },
      },
    );

  /** Runs the strategy as passport would for one request and reports how it ended. */
  function authenticate(token: string): Promise<Outcome> {
    const presented: PresentedAccessToken = { accessToken: token };
    return new Promise((resolve) => {
      const run = Object.create(sut) as JwtStrategy & { success: (user: Principal) => void; fail: (reason: unknown) => void; error: (error: unknown) => void };
      run.success = (principal) => resolve({ principal });
      run.fail = (failure) => resolve({ failure });
      run.error = (error) => resolve({ error });
      run.authenticate(presented as never);
    });
  }

  it('turns a valid token into the principal after one signature check', async () => {
    const outcome = await authenticate(sign({}));
    expect(outcome.principal).toMatchObject({ kind: 'user', subject: 'user-1', userId: 'user-1', tenantId: 'tenant-1', roles: ['user'], scopes: ['profile'], tokenId: 'token-1' });
    expect(signatureChecks).toBe(1);
  });

  it.each([
    ['an unknown kid', () => sign({ kid: 'key-2' })],
    ['a kid of another algorithm', () => sign({ alg: 'HS256' }, {}, createSecretKey(Buffer.from('k'.repeat(32))))],
    ['no kid', () => sign({ kid: undefined })],
    ['a token over 4 KiB', () => `${sign({}).split('.')[0]}.${'a'.repeat(5000)}.b`],
    ['a header that is not JSON', () => `bm90LWpzb24.e30.c2ln`],
  ])('refuses %s before any signature work', async (_name, token) => {
    const outcome = await authenticate(token());
    expect(outcome.failure).toBeInstanceOf(DomainError);
    expect(outcome.failure).toMatchObject({ code: 'token_invalid' });
    expect(signatureChecks).toBe(0);
  });

  it.each([
    ['typ JWT', sign({ typ: 'JWT' })],
    ['an iat in the future', sign({}, { iat: Math.floor(Date.now() / 1000) + 3600 })],
  ])('refuses a correctly signed token with %s in validate()', async (_name, token) => {
    const outcome = await authenticate(token);
    expect(outcome.error).toMatchObject({ code: 'token_invalid' });
    expect(signatureChecks).toBe(1);
  });

  it('knows an API client by its subject, and refuses a client token that names a session', async () => {
    expect((await authenticate(sign({}, { sub: 'client:c-1' }))).principal).toMatchObject({ kind: 'client', clientId: 'c-1', subject: 'client:c-1' });
    expect((await authenticate(sign({}, { sub: 'client:c-1', sid: 'session-1' }))).error).toMatchObject({ code: 'token_invalid' });
  });

  it('refuses a correctly signed token without exp', async () => {
    const token = new JwtService().sign(
      { tid: 't', roles: [], scope: '' },
      { privateKey, algorithm: 'ES256', issuer: jwt.issuer, audience: jwt.audience, subject: 's', jwtid: 'j', keyid: 'key-1', header: { alg: 'ES256', typ: 'at+jwt' } },
    );
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
    expect((await authenticate(token)).error).toMatchObject({ code: 'token_invalid', message: 'Token lacks exp or iat' });
  });
});
