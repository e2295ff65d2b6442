import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Authenticator } from '../../src/access/authentication/authenticator.service.js';
import type { CredentialResolver } from '../../src/access/authentication/credential-resolver.js';
import { JwtAuthGuard } from '../../src/access/guards/jwt-auth.guard.js';
import { ClientSecretResolver } from '../../src/clients/client-secret.resolver.js';
import { BearerTokenResolver } from '../../src/tokens/bearer-token.resolver.js';
import { SIGNING_KEYS_CHANNEL } from '../../src/tokens/signing-keys.service.js';
import { login, signedInUser } from '../support/factories.js';
import { headerOf } from '../support/forge.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/** The authentication seam: several applications in one process, key withdrawal on every instance, and a broken resolver failing closed. */
describe('The authentication seam', () => {
  const resolversOf = (t: TestApp): CredentialResolver[] => Reflect.get(t.app.get(Authenticator), 'resolvers') as CredentialResolver[];

  it('asks each application only its own resolver, though several run in one process', async () => {
    const a = await startTestApp();
    const b = await startTestApp();
    try {
      // In their order: the bearer token, then a client's own credentials (where a route takes them).
      expect(resolversOf(a)).toHaveLength(2);
      expect(resolversOf(a)[0]).toBe(a.app.get(BearerTokenResolver));
      expect(resolversOf(a)[1]).toBe(a.app.get(ClientSecretResolver));
      expect(resolversOf(b)[0]).toBe(b.app.get(BearerTokenResolver));
      expect(resolversOf(a)[0]).not.toBe(resolversOf(b)[0]);
      const onA = await signedInUser(a);
      const onB = await signedInUser(b);
      await a.api().get('/users/me').set('Authorization', `Bearer ${onA.tokens.access_token}`).expect(200);
      await b.api().get('/users/me').set('Authorization', `Bearer ${onB.tokens.access_token}`).expect(200);
      expect((await a.api().get('/users/me').set('Authorization', `Bearer ${onB.tokens.access_token}`)).body.code).toBe('token_invalid');
      expect((await b.api().get('/users/me').set('Authorization', `Bearer ${onA.tokens.access_token}`)).body.code).toBe('token_invalid');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses, on every instance, the cached tokens of a key withdrawn and announced', async () => {
    const one = await startTestApp();
    const two = await startTestApp({}, one.databaseUrl);
    try {
      const user = await signedInUser(one);
      const kid = headerOf(user.tokens.access_token).kid as string;
      for (const t of [one, two]) await t.api().get('/users/me').set('Authorization', `Bearer ${user.tokens.access_token}`).expect(200);
      const superadmin = await login(one, SUPERADMIN);
      await one.api().post('/keys/rotate').set('Authorization', `Bearer ${superadmin.access_token}`).expect(201);
      await one.sql('DELETE FROM signing_keys WHERE kid = $1', [kid]);
      await one.sql(`SELECT pg_notify('${SIGNING_KEYS_CHANNEL}', $1)`, [kid]);
      for (const t of [one, two]) {
        const giveUpAt = Date.now() + 5000;
        for (;;) {
          const response = await t.api().get('/users/me').set('Authorization', `Bearer ${user.tokens.access_token}`);
          if (response.status === 401) {
            expect(response.body.code).toBe('token_invalid');
            break;
          }
          if (Date.now() > giveUpAt) throw new Error('a withdrawn key still vouches for a cached token');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      await two.close();
      await one.close();
    }
  });

  /**
   * Found by the review of the restructuring: the guard admitted whatever the authenticator
   * answered, and the guards after it took a request without a principal for a public route. A
   * resolver written by mistake to answer nothing must let nobody in.
   */
  it('refuses a request that no resolver established a principal for (a resolver answering undefined)', async () => {
    const careless: CredentialResolver = { resolve: () => undefined as never };
    const authenticator = Object.assign(Object.create(Authenticator.prototype) as Authenticator, { resolvers: [careless] });
    const guard = new JwtAuthGuard(new Reflector(), authenticator);
    const request = { headers: { cookie: 'whatever' } } as unknown as FastifyRequest;
    const context = {
      getHandler: () => function handler() {},
      getClass: () => class Controller {},
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    await expect(Promise.resolve().then(() => guard.canActivate(context))).rejects.toThrow('neither a principal nor NOT_MINE');
    expect(request.principal).toBeUndefined();
  });

  it('answers a broken resolver with a 500 that says nothing, never with the route (the platform audit trail here)', async () => {
    const t = await startTestApp();
    try {
      const resolver = t.app.get(BearerTokenResolver);
      const real = resolver.resolve.bind(resolver);
      // A careless resolver: it answers undefined for a credential it half-recognizes.
      resolver.resolve = (request) => (request.headers.authorization === 'Bearer half-recognized' ? (undefined as never) : real(request));
      const response = await t.api().get('/audit-events').set('Authorization', 'Bearer half-recognized');
      expect({ status: response.status, code: response.body.code, items: response.body.items }).toEqual({ status: 500, code: 'internal_error', items: undefined });
    } finally {
      await t.close();
    }
  });
});
