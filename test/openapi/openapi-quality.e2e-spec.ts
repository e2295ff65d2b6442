import { startTestApp, type TestApp } from '../support/test-app.js';

interface Schema {
  $ref?: string;
  type?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
}
interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: Schema & { format?: string };
}
interface Response {
  description: string;
  content?: Record<string, { schema?: Schema; example?: unknown }>;
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
  tags?: string[];
}
interface Document {
  info: { title: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, Schema & { enum?: string[] }> }>; securitySchemes: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ERROR_SCHEMAS = ['#/components/schemas/ErrorBodyDto', '#/components/schemas/OAuthErrorBodyDto'];

function refOf(schema: Schema | undefined): string | undefined {
  return schema?.$ref ?? schema?.allOf?.[0]?.$ref;
}

describe('The OpenAPI document at /docs-json', () => {
  let t: TestApp;
  let doc: Document;
  let operations: { id: string; path: string; operation: Operation }[];

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.api().get('/docs-json').expect(200)).body as Document;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ id: `${method.toUpperCase()} ${path}`, path, operation: item[method] })),
    );
  });
  afterAll(() => t.close());

  const failures = (check: (entry: { id: string; path: string; operation: Operation }) => string[]) => operations.flatMap(check);

  it('is titled "Portcullis API" and has described tags, auth and oauth side by side', () => {
    expect(doc.info.title).toBe('Portcullis API');
    const names = doc.tags.map((tag) => tag.name);
    expect(Math.abs(names.indexOf('auth') - names.indexOf('oauth'))).toBe(1);
    expect(doc.tags.filter((tag) => !tag.description)).toEqual([]);
    expect(failures(({ id, operation }) => (operation.tags ?? []).filter((tag) => !names.includes(tag)).map((tag) => `${id}: ${tag}`))).toEqual([]);
  });

  it('gives every operation a summary', () => {
    expect(failures(({ id, operation }) => (operation.summary ? [] : [id]))).toEqual([]);
  });

  it('types every parameter, ids as UUIDs with a description, limit and offset as integers', () => {
    expect(
      failures(({ id, operation }) =>
        (operation.parameters ?? []).flatMap((parameter) => {
          const problems: string[] = [];
          if (!parameter.schema || (!parameter.schema.type && !parameter.schema.$ref)) problems.push(`${id} ${parameter.name}: no type`);
          if (parameter.schema?.type === 'object') problems.push(`${id} ${parameter.name}: object`);
          if (parameter.in === 'path' && (parameter.schema?.format !== 'uuid' || !parameter.description)) problems.push(`${id} ${parameter.name}: not a described uuid`);
          if (['limit', 'offset'].includes(parameter.name) && parameter.schema?.type !== 'integer') problems.push(`${id} ${parameter.name}: not an integer`);
          return problems;
        }),
      ),
    ).toEqual([]);
  });

  it('gives every operation a 2xx schema, or says it has no content', () => {
    expect(
      failures(({ id, operation }) => {
        const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
        if (success.length === 0) return [`${id}: no 2xx`];
        return success
          .filter(([status, response]) => status !== '204' && !/no content/i.test(response.description) && !Object.values(response.content ?? {}).some((media) => media.schema))
          .map(([status]) => `${id} ${status}: no schema`);
      }),
    ).toEqual([]);
  });

  it('gives every 4xx and 5xx answer an error schema, and the body routes their 400, 413 and 415', () => {
    expect(
      failures(({ id, operation }) => [
        ...Object.entries(operation.responses)
          .filter(([status]) => Number(status) >= 400)
          .filter(([, response]) => !ERROR_SCHEMAS.includes(refOf(response.content?.['application/json']?.schema) ?? ''))
          .map(([status]) => `${id} ${status}: no error schema`),
        ...(operation.requestBody ? ['400', '413', '415'].filter((status) => !operation.responses[status]).map((status) => `${id}: no ${status}`) : []),
        ...(operation.parameters?.some((parameter) => parameter.in === 'path') && !operation.responses['404'] ? [`${id}: no 404`] : []),
      ]),
    ).toEqual([]);
  });

  it('documents the contract’s codes as an enum of the error schema', () => {
    const code = doc.components.schemas.ErrorBodyDto.properties?.code;
    expect(code?.enum).toEqual(expect.arrayContaining(['token_missing', 'insufficient_scope', 'tenant_mismatch', 'validation_failed', 'rate_limited']));
  });

  it('states the security of every protected operation, and its roles and scopes in words', () => {
    const open = new Set(['/health', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/.well-known/jwks.json', '/auth/register', '/auth/login', '/auth/token', '/auth/refresh', '/auth/revoke', '/metrics']);
    expect(
      failures(({ id, path, operation }) => {
        if (open.has(path)) return [];
        const problems: string[] = [];
        const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
        if (!schemes.includes('bearer') || !schemes.includes('oauth2')) problems.push(`${id}: security ${schemes.join(',')}`);
        if (!/^\*\*Needs /.test(operation.description ?? '')) problems.push(`${id}: no policy in the description`);
        const forbidden = operation.responses['403']?.description ?? '';
        if (!forbidden.includes('insufficient_scope')) problems.push(`${id}: 403 without insufficient_scope`);
        if (forbidden.includes('tenant_mismatch') !== path.includes('{tenantId}')) problems.push(`${id}: tenant_mismatch on the wrong route`);
        return problems;
      }),
    ).toEqual([]);
    expect(doc.paths['/tenants/{tenantId}/users'].get.description).toContain('Needs role `moderator` or `admin` and scope `users:read`');
  });

  it('documents the tenant/email username form in the password flow and on /auth/token, with no example "string"', () => {
    expect(JSON.stringify(doc.components.securitySchemes)).toContain('acme/ada@example.com');
    expect(JSON.stringify(doc.paths['/auth/token'])).toContain('tenant/email');
    expect(JSON.stringify(doc)).not.toMatch(/"example":"string"/);
  });
});
