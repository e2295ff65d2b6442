import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { login, type TokenPair } from '../support/factories.js';
import { freePort } from '../support/free-port.mjs';
import { createClient, createPublicClient, createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 19: the libraries consumers use, against the service over real HTTP, as they ship. The
 * supertest helpers only arrange (tenants, users, clients); every operation under test goes
 * through oauth4webapi 3, openid-client 6 or jose 6. The issuer is the listening address, since
 * these libraries require the issuer to be where its metadata is found.
 */

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const openidOptions = (algorithm?: 'oidc' | 'oauth2'): openid.DiscoveryRequestOptions => ({ execute: [openid.allowInsecureRequests], ...(algorithm ? { algorithm } : {}) });

type Method = 'client_secret_basic' | 'client_secret_post';
const METHODS: Method[] = ['client_secret_basic', 'client_secret_post'];
const oauthAuth = (method: Method, secret: string): oauth.ClientAuth => (method === 'client_secret_basic' ? oauth.ClientSecretBasic(secret) : oauth.ClientSecretPost(secret));
const openidAuth = (method: Method): openid.ClientAuth => (method === 'client_secret_basic' ? openid.ClientSecretBasic() : openid.ClientSecretPost());

interface Confidential {
  clientId: string;
  clientSecret: string;
}

/** A service instance listening on loopback, with a tenant, a user, and clients of each kind. */
interface Server {
  t: TestApp;
  issuer: URL;
  as: oauth.AuthorizationServer;
  audience: string;
  tenant: Tenant;
  user: { email: string; password: string; id: string };
  /** Confidential, scopes users:read: client_credentials, and signs users in. */
  service: Confidential;
  /** Confidential, scopes tokens:introspect: a resource server. */
  resourceServer: Confidential;
  /** Public: a single-page app. */
  app: { clientId: string };
}

async function startServer(algorithm: string): Promise<Server> {
  const port = await freePort();
  const issuer = new URL(`http://127.0.0.1:${port}`);
  const t = await startTestApp({ JWT_ISSUER: issuer.origin, JWT_ALG: algorithm });
  try {
    await t.app.listen(port, '127.0.0.1');
    const superadmin = await superadminTokens(t);
    const tenant = await createTenant(t, superadmin);
    const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    const [user, service, resourceServer, app] = await Promise.all([
      createUser(t, admin, tenant, ['user']),
      createClient(t, admin, tenant, ['users:read']),
      createClient(t, admin, tenant, ['tokens:introspect']),
      createPublicClient(t, admin, tenant),
    ]);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    return { t, issuer, as, audience: t.config.jwt.audience, tenant, user, service, resourceServer, app };
  } catch (error) {
    // Nothing else would close it, and an open server keeps jest from ending.
    await t.close();
    throw error;
  }
}

/** One instance per algorithm, shared by the describes below and closed once they are done. */
const servers = new Map<string, Promise<Server>>();
function serverWith(algorithm: string): Promise<Server> {
  if (!servers.has(algorithm)) servers.set(algorithm, startServer(algorithm));
  return servers.get(algorithm)!;
}
afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.then((started) => started.t.close(), () => undefined)));
});

/** The password grant through a client; oauth4webapi has no helper of its own for it. */
async function passwordGrant(s: Server, client: oauth.Client, auth: oauth.ClientAuth): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.genericTokenEndpointRequest(s.as, client, auth, 'password', new URLSearchParams({ username: s.user.email, password: s.user.password }), insecure);
  return oauth.processGenericTokenEndpointResponse(s.as, client, response);
}

async function refresh(s: Server, client: oauth.Client, auth: oauth.ClientAuth, refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  return oauth.processRefreshTokenResponse(s.as, client, await oauth.refreshTokenGrantRequest(s.as, client, auth, refreshToken, insecure));
}

async function introspect(s: Server, method: Method, token: string): Promise<oauth.IntrospectionResponse> {
  const client = { client_id: s.resourceServer.clientId };
  const response = await oauth.introspectionRequest(s.as, client, oauthAuth(method, s.resourceServer.clientSecret), token, insecure);
  return oauth.processIntrospectionResponse(s.as, client, response);
}

async function revoke(s: Server, client: oauth.Client, auth: oauth.ClientAuth, token: string): Promise<void> {
  return oauth.processRevocationResponse(await oauth.revocationRequest(s.as, client, auth, token, insecure));
}

/** GET /users/me as a resource request of oauth4webapi's: the response, or the library's challenge error on a 401. */
function usersMe(s: Server, accessToken: string): Promise<Response> {
  return oauth.protectedResourceRequest(accessToken, 'GET', new URL('/users/me', s.issuer), undefined, undefined, insecure);
}

function openidConfiguration(s: Server, client: { clientId: string; clientSecret?: string }, auth: openid.ClientAuth, algorithm?: 'oidc' | 'oauth2'): Promise<openid.Configuration> {
  return openid.discovery(s.issuer, client.clientId, client.clientSecret, auth, openidOptions(algorithm));
}

describe('Standard OAuth clients and resource servers: oauth4webapi 3, openid-client 6, jose 6 over HTTP', () => {
  let s: Server;

  beforeAll(async () => {
    s = await serverWith('ES256');
  });

  describe('discovery', () => {
    it('finds the server through RFC 8414 and through OpenID Connect discovery, one document with every field the libraries read', async () => {
      const rfc8414 = s.as;
      const oidc = await oauth.processDiscoveryResponse(s.issuer, await oauth.discoveryRequest(s.issuer, { algorithm: 'oidc', ...insecure }));
      expect(oidc).toEqual(rfc8414);
      expect(rfc8414).toMatchObject({
        issuer: s.issuer.origin,
        token_endpoint: `${s.issuer.origin}/auth/token`,
        jwks_uri: `${s.issuer.origin}/.well-known/jwks.json`,
        revocation_endpoint: `${s.issuer.origin}/auth/revoke`,
        introspection_endpoint: `${s.issuer.origin}/auth/introspect`,
        grant_types_supported: ['password', 'refresh_token', 'client_credentials'],
        response_types_supported: [],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        introspection_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
        access_token_signing_alg_values_supported: ['ES256'],
      });

      for (const algorithm of ['oauth2', 'oidc'] as const) {
        const config = await openidConfiguration(s, s.service, openid.ClientSecretBasic(), algorithm);
        expect(config.serverMetadata()).toMatchObject(rfc8414);
      }
    });
  });

  describe('client_credentials', () => {
    it.each(METHODS)('issues a client token to a confidential client authenticating with %s, through both libraries', async (method) => {
      const client = { client_id: s.service.clientId };
      const byOauth4webapi = await oauth.processClientCredentialsResponse(
        s.as,
        client,
        await oauth.clientCredentialsGrantRequest(s.as, client, oauthAuth(method, s.service.clientSecret), new URLSearchParams(), insecure),
      );
      const config = await openidConfiguration(s, s.service, openidAuth(method));
      const byOpenidClient = await openid.clientCredentialsGrant(config, { scope: 'users:read' });

      for (const tokens of [byOauth4webapi, byOpenidClient]) {
        expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'users:read', expires_in: expect.any(Number) });
        expect(tokens.refresh_token).toBeUndefined();
        const response = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(`/tenants/${s.tenant.id}/users`, s.issuer), undefined, undefined, insecure);
        expect(response.status).toBe(200);
      }
    });
  });

  describe('introspection (RFC 7662) by a confidential client holding tokens:introspect', () => {
    let userTokens: oauth.TokenEndpointResponse;
    let otherTenantToken: TokenPair;

    beforeAll(async () => {
      userTokens = await passwordGrant(s, { client_id: s.service.clientId }, oauth.ClientSecretBasic(s.service.clientSecret));
      const superadmin = await superadminTokens(s.t);
      const other = await createTenant(s.t, superadmin);
      otherTenantToken = await login(s.t, { ...other.admin, tenant: other.slug });
    });

    it.each(METHODS)('describes with %s a user token (its client_id included) and reads another tenant’s token as inactive, through both libraries', async (method) => {
      const expected = {
        active: true,
        sub: s.user.id,
        tid: s.tenant.id,
        client_id: s.service.clientId,
        scope: 'profile',
        token_type: 'Bearer',
        exp: expect.any(Number),
        iat: expect.any(Number),
        jti: expect.any(String),
      };
      expect(await introspect(s, method, userTokens.access_token)).toEqual(expected);
      expect(await introspect(s, method, userTokens.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token', client_id: s.service.clientId, sub: s.user.id });
      expect(await introspect(s, method, otherTenantToken.access_token)).toEqual({ active: false });
      expect(await introspect(s, method, otherTenantToken.refresh_token!)).toEqual({ active: false });

      const config = await openidConfiguration(s, s.resourceServer, openidAuth(method));
      expect(await openid.tokenIntrospection(config, userTokens.access_token)).toEqual(expected);
      expect(await openid.tokenIntrospection(config, otherTenantToken.access_token)).toEqual({ active: false });
    });

    it('refuses a client whose scopes lack tokens:introspect (403), and a wrong secret (401 invalid_client with WWW-Authenticate: Basic)', async () => {
      const withoutScope = await oauth.introspectionRequest(s.as, { client_id: s.service.clientId }, oauth.ClientSecretPost(s.service.clientSecret), userTokens.access_token, insecure);
      await expect(oauth.processIntrospectionResponse(s.as, { client_id: s.service.clientId }, withoutScope)).rejects.toMatchObject({ status: 403 });

      const config = await openidConfiguration(s, { clientId: s.resourceServer.clientId, clientSecret: 'cs_wrong' }, openid.ClientSecretBasic());
      const failed = await openid.tokenIntrospection(config, userTokens.access_token).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(openid.WWWAuthenticateChallengeError);
      expect(failed).toMatchObject({ status: 401, cause: [expect.objectContaining({ scheme: 'basic' })] });
    });
  });

  describe('revocation (RFC 7009)', () => {
    it.each(METHODS)('lets a confidential client revoke with %s the tokens issued to it: the access token is refused and reads inactive, the refresh token no longer refreshes', async (method) => {
      const client = { client_id: s.service.clientId };
      const tokens = await passwordGrant(s, client, oauth.ClientSecretBasic(s.service.clientSecret));
      expect((await usersMe(s, tokens.access_token)).status).toBe(200);

      await revoke(s, client, oauthAuth(method, s.service.clientSecret), tokens.access_token);
      const refused = await usersMe(s, tokens.access_token).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
      expect(refused).toMatchObject({ status: 401, cause: [expect.objectContaining({ scheme: 'bearer', parameters: expect.objectContaining({ error: 'invalid_token' }) })] });
      expect(await introspect(s, method, tokens.access_token)).toEqual({ active: false });

      const config = await openidConfiguration(s, s.service, openidAuth(method));
      await openid.tokenRevocation(config, tokens.refresh_token!);
      await expect(openid.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    });

    it('lets a public client (client_id alone) revoke its refresh token, which then no longer refreshes', async () => {
      const client = { client_id: s.app.clientId };
      const tokens = await passwordGrant(s, client, oauth.None());
      await revoke(s, client, oauth.None(), tokens.refresh_token!);
      await expect(refresh(s, client, oauth.None(), tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });

      const config = await openidConfiguration(s, s.app, openid.None());
      const again = await openid.genericGrantRequest(config, 'password', { username: s.user.email, password: s.user.password });
      await openid.tokenRevocation(config, again.refresh_token!, { token_type_hint: 'refresh_token' });
      await expect(openid.refreshTokenGrant(config, again.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    });

    it('refuses to revoke a token issued to another client (400 unauthorized_client), which stays valid', async () => {
      const appTokens = await passwordGrant(s, { client_id: s.app.clientId }, oauth.None());
      const serviceTokens = await passwordGrant(s, { client_id: s.service.clientId }, oauth.ClientSecretBasic(s.service.clientSecret));

      await expect(revoke(s, { client_id: s.service.clientId }, oauth.ClientSecretPost(s.service.clientSecret), appTokens.refresh_token!)).rejects.toMatchObject({
        error: 'unauthorized_client',
        status: 400,
      });
      await expect(revoke(s, { client_id: s.app.clientId }, oauth.None(), serviceTokens.access_token)).rejects.toMatchObject({ error: 'unauthorized_client', status: 400 });
      const config = await openidConfiguration(s, s.service, openid.ClientSecretBasic());
      await expect(openid.tokenRevocation(config, appTokens.access_token)).rejects.toMatchObject({ error: 'unauthorized_client', status: 400 });

      expect((await usersMe(s, appTokens.access_token)).status).toBe(200);
      expect((await usersMe(s, serviceTokens.access_token)).status).toBe(200);
      expect(await refresh(s, { client_id: s.app.clientId }, oauth.None(), appTokens.refresh_token!)).toMatchObject({ token_type: 'bearer' });
    });
  });

  describe('the refresh grant', () => {
    it('refreshes through the public client the tokens were issued to: the new access token keeps its client_id and auth_time', async () => {
      const client = { client_id: s.app.clientId };
      const first = await passwordGrant(s, client, oauth.None());
      const second = await refresh(s, client, oauth.None(), first.refresh_token!);
      expect(second.refresh_token).toEqual(expect.any(String));
      expect(second.refresh_token).not.toBe(first.refresh_token);

      const before = await oauth.validateJwtAccessToken(s.as, bearerRequest(s, first.access_token), s.audience, insecure);
      const after = await oauth.validateJwtAccessToken(s.as, bearerRequest(s, second.access_token), s.audience, insecure);
      expect(after).toMatchObject({ client_id: s.app.clientId, sub: s.user.id, auth_time: before.auth_time });

      const config = await openidConfiguration(s, s.app, openid.None());
      expect(await openid.refreshTokenGrant(config, second.refresh_token!)).toMatchObject({ token_type: 'bearer', refresh_token: expect.any(String) });
    });

    it('refuses a refresh token presented by another client than the one it was issued to (invalid_grant), or by its confidential client without the secret (invalid_client), and the rightful client still refreshes it', async () => {
      const app = { client_id: s.app.clientId };
      const service = { client_id: s.service.clientId };
      const firstParty = { client_id: 'portcullis' };
      const appTokens = await passwordGrant(s, app, oauth.None());
      const serviceTokens = await passwordGrant(s, service, oauth.ClientSecretBasic(s.service.clientSecret));
      const signedIn = await login(s.t, { email: s.user.email, password: s.user.password, tenant: s.tenant.slug });
      const serviceConfig = await openidConfiguration(s, s.service, openid.ClientSecretPost());

      const refusals: Array<[string, () => Promise<unknown>]> = [
        ['the public client’s, by a confidential client (oauth4webapi, basic)', () => refresh(s, service, oauth.ClientSecretBasic(s.service.clientSecret), appTokens.refresh_token!)],
        ['the public client’s, by a confidential client (openid-client, post)', () => openid.refreshTokenGrant(serviceConfig, appTokens.refresh_token!)],
        // Obtained without a client (the service’s own sign-in), refreshed under a client’s credentials.
        ['a first-party sign-in’s, by a confidential client (oauth4webapi)', () => refresh(s, service, oauth.ClientSecretBasic(s.service.clientSecret), signedIn.refresh_token!)],
        ['a first-party sign-in’s, by a confidential client (openid-client)', () => openid.refreshTokenGrant(serviceConfig, signedIn.refresh_token!)],
        ['a confidential client’s, by a public client', () => refresh(s, app, oauth.None(), serviceTokens.refresh_token!)],
        ['a confidential client’s, without client authentication', () => refresh(s, firstParty, oauth.None(), serviceTokens.refresh_token!)],
        ['a public client’s, as the service’s own', () => refresh(s, firstParty, oauth.None(), appTokens.refresh_token!)],
      ];
      for (const [what, attempt] of refusals) {
        const refusal = await attempt().then(
          () => 'accepted',
          (error: { error?: string; status?: number }) => ({ error: error.error, status: error.status }),
        );
        expect({ what, refusal }).toEqual({ what, refusal: { error: 'invalid_grant', status: 400 } });
      }

      // A confidential client naming itself without its secret fails client authentication (RFC 6749 §5.2).
      const unauthenticated = await refresh(s, service, oauth.None(), serviceTokens.refresh_token!).catch((error: unknown) => error);
      expect(unauthenticated).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
      expect(unauthenticated).toMatchObject({ status: 401, cause: [expect.objectContaining({ scheme: 'basic' })] });

      expect(await refresh(s, app, oauth.None(), appTokens.refresh_token!)).toMatchObject({ token_type: 'bearer' });
      expect(await refresh(s, service, oauth.ClientSecretPost(s.service.clientSecret), serviceTokens.refresh_token!)).toMatchObject({ token_type: 'bearer' });
      expect(await refresh(s, firstParty, oauth.None(), signedIn.refresh_token!)).toMatchObject({ token_type: 'bearer' });
    });
  });

  describe('RFC 6749 §3.2 at the token endpoint', () => {
    it('answers grant_type=authorization_code with a code unsupported_grant_type, as the library reports it', async () => {
      const client = { client_id: s.service.clientId };
      const parameters = new URLSearchParams({ code: 'an-authorization-code', redirect_uri: 'https://app.example/callback', code_verifier: oauth.generateRandomCodeVerifier() });
      const response = await oauth.genericTokenEndpointRequest(s.as, client, oauth.ClientSecretBasic(s.service.clientSecret), 'authorization_code', parameters, insecure);
      await expect(oauth.processGenericTokenEndpointResponse(s.as, client, response)).rejects.toMatchObject({ error: 'unsupported_grant_type', status: 400 });

      // openid-client's own code flow, as an app back from an authorization endpoint would run it.
      const config = await openidConfiguration(s, s.app, openid.None());
      const callback = new URL('https://app.example/callback?code=an-authorization-code');
      await expect(openid.authorizationCodeGrant(config, callback, { pkceCodeVerifier: openid.randomPKCECodeVerifier() })).rejects.toMatchObject({
        error: 'unsupported_grant_type',
        status: 400,
      });
    });
  });
});

function bearerRequest(s: Server, accessToken: string): Request {
  return new Request(new URL('/users/me', s.issuer), { headers: { authorization: `Bearer ${accessToken}` } });
}

const CLIENT_CLAIMS = ['client_id', 'sub', 'tid', 'scope', 'jti', 'iat', 'exp'];

describe.each(['ES256', 'RS256', 'PS256'])('A resource server verifying %s access tokens with jose and oauth4webapi', (algorithm) => {
  let s: Server;

  beforeAll(async () => {
    s = await serverWith(algorithm);
  });

  it('verifies a user token and a client_credentials token: jose jwtVerify through the JWKS with requiredClaims, and validateJwtAccessToken (RFC 9068)', async () => {
    const userTokens = await passwordGrant(s, { client_id: s.app.clientId }, oauth.None());
    const service = { client_id: s.service.clientId };
    const clientTokens = await oauth.processClientCredentialsResponse(
      s.as,
      service,
      await oauth.clientCredentialsGrantRequest(s.as, service, oauth.ClientSecretPost(s.service.clientSecret), {}, insecure),
    );
    expect(s.as.access_token_signing_alg_values_supported).toEqual([algorithm]);
    const jwks = createRemoteJWKSet(new URL(s.as.jwks_uri!));
    const verify = (token: string, requiredClaims: string[]) =>
      jwtVerify(token, jwks, { issuer: s.as.issuer, audience: s.audience, typ: 'at+jwt', algorithms: [algorithm], requiredClaims });

    const user = await verify(userTokens.access_token, [...CLIENT_CLAIMS, 'auth_time']);
    expect(user.protectedHeader).toMatchObject({ alg: algorithm, typ: 'at+jwt' });
    expect(user.payload).toMatchObject({ sub: s.user.id, tid: s.tenant.id, client_id: s.app.clientId, scope: 'profile', auth_time: expect.any(Number) });
    const client = await verify(clientTokens.access_token, CLIENT_CLAIMS);
    expect(client.payload).toMatchObject({ sub: `client:${s.service.clientId}`, tid: s.tenant.id, client_id: s.service.clientId, scope: 'users:read' });
    expect(client.payload.auth_time).toBeUndefined();

    expect(await oauth.validateJwtAccessToken(s.as, bearerRequest(s, userTokens.access_token), s.audience, insecure)).toMatchObject({ client_id: s.app.clientId, sub: s.user.id });
    expect(await oauth.validateJwtAccessToken(s.as, bearerRequest(s, clientTokens.access_token), s.audience, insecure)).toMatchObject({
      client_id: s.service.clientId,
      sub: `client:${s.service.clientId}`,
    });
  });
});
