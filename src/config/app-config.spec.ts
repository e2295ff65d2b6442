import { InvalidConfigurationError, loadAppConfig } from './app-config.js';

describe(loadAppConfig.name, () => {
  it('gives the contract defaults for an empty environment', () => {
    const sut = loadAppConfig({});
    expect(sut).toMatchObject({
      port: 3000,
      logLevel: 'info',
      corsOrigins: [],
      database: { url: undefined, dataDir: './.data' },
      jwt: { algorithm: 'ES256', issuer: 'http://localhost:3000', audience: 'portcullis', accessTokenTtlSeconds: 900 },
      session: { refreshTokenTtlSeconds: 30 * 86400, refreshReuseGraceSeconds: 10, maxPerUser: 100 },
      password: { bcryptCost: 12 },
      login: { maxFailures: 5, maxFailuresAccount: 50, lockoutSeconds: 900, rateLimitPerMinute: 20 },
    });
  });

  it('reads durations in seconds or with a unit', () => {
    const sut = loadAppConfig({ ACCESS_TOKEN_TTL: '90', REFRESH_TOKEN_TTL: '12h', REFRESH_REUSE_GRACE: '0', LOGIN_LOCKOUT: '2m' });
    expect(sut.jwt.accessTokenTtlSeconds).toBe(90);
    expect(sut.session.refreshTokenTtlSeconds).toBe(43200);
    expect(sut.session.refreshReuseGraceSeconds).toBe(0);
    expect(sut.login.lockoutSeconds).toBe(120);
  });

  it('derives the issuer from the port', () => {
    expect(loadAppConfig({ PORT: '8080' }).jwt.issuer).toBe('http://localhost:8080');
  });

  it('refuses HS256 without a secret of at least 32 bytes', () => {
    expect(() => loadAppConfig({ JWT_ALG: 'HS256' })).toThrow(/JWT_SECRET of at least 32 bytes/);
    expect(() => loadAppConfig({ JWT_ALG: 'HS256', JWT_SECRET: 'short' })).toThrow(InvalidConfigurationError);
    expect(loadAppConfig({ JWT_ALG: 'HS256', JWT_SECRET: 'x'.repeat(32) }).jwt.algorithm).toBe('HS256');
  });

  it.each(['EdDSA', 'none', 'HS512', 'es256'])('refuses JWT_ALG=%s in one line naming the accepted values', (algorithm) => {
    expect(() => loadAppConfig({ JWT_ALG: algorithm })).toThrow(`Invalid configuration: JWT_ALG must be one of ES256, RS256, PS256, HS256 (got "${algorithm}")`);
  });

  it.each(['ES256', 'RS256', 'PS256'])('accepts JWT_ALG=%s', (algorithm) => {
    expect(loadAppConfig({ JWT_ALG: algorithm }).jwt.algorithm).toBe(algorithm);
  });

  it('names every problem at once', () => {
    let error: InvalidConfigurationError | undefined;
    try {
      loadAppConfig({ JWT_ALG: 'none', PORT: 'eighty', ACCESS_TOKEN_TTL: '15 minutes', BCRYPT_COST: '3', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught as InvalidConfigurationError;
    }
    expect(error?.problems).toEqual([
      expect.stringContaining('PORT'),
      expect.stringContaining('JWT_ALG'),
      expect.stringContaining('DATABASE_URL'),
      expect.stringContaining('ACCESS_TOKEN_TTL'),
      expect.stringContaining('BCRYPT_COST'),
    ]);
  });

  it('wants the bootstrap admin email and password together', () => {
    expect(() => loadAppConfig({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.c' })).toThrow(/together/);
  });

  it('reads TRUST_PROXY as off, a hop count, or proxy addresses', () => {
    expect(loadAppConfig({}).trustProxy).toBe(false);
    expect(loadAppConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadAppConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => loadAppConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadAppConfig({ TRUST_PROXY: '0' })).toThrow(/TRUST_PROXY/);
  });

  it('keeps audit events 90 days unless told otherwise', () => {
    expect(loadAppConfig({}).audit.retentionSeconds).toBe(90 * 86400);
    expect(loadAppConfig({ AUDIT_RETENTION: '30d' }).audit.retentionSeconds).toBe(30 * 86400);
  });

  it('splits CORS origins', () => {
    expect(loadAppConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('keeps /metrics protected unless METRICS_PUBLIC is exactly true', () => {
    expect(loadAppConfig({}).metrics.public).toBe(false);
    expect(loadAppConfig({ METRICS_PUBLIC: 'false' }).metrics.public).toBe(false);
    expect(loadAppConfig({ METRICS_PUBLIC: 'true' }).metrics.public).toBe(true);
  });

  it.each(['yes', '1', 'TRUE', 'on'])('refuses METRICS_PUBLIC=%s with one clear problem', (value) => {
    expect(() => loadAppConfig({ METRICS_PUBLIC: value })).toThrow(new InvalidConfigurationError([`METRICS_PUBLIC must be true or false (got "${value}")`]));
  });

  it('serves no management port unless MANAGEMENT_PORT is set, and then one other than PORT', () => {
    expect(loadAppConfig({}).managementPort).toBeUndefined();
    expect(loadAppConfig({ MANAGEMENT_PORT: '9000' }).managementPort).toBe(9000);
    expect(() => loadAppConfig({ MANAGEMENT_PORT: '3000' })).toThrow(new InvalidConfigurationError(['MANAGEMENT_PORT must differ from PORT']));
  });

  it.each(['0', '65536', 'nine', '-1'])('refuses MANAGEMENT_PORT=%s', (value) => {
    expect(() => loadAppConfig({ MANAGEMENT_PORT: value })).toThrow(new InvalidConfigurationError([`MANAGEMENT_PORT must be a whole number from 1 to 65535 (got "${value}")`]));
  });
});
