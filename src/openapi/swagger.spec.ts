import type { OperationObject, ResponseObject } from '@nestjs/swagger';
import type { RouteFacts } from '../access/decorators/route-facts.js';
import { AUTH_POLICY_EXTENSION, ROUTE_FACTS_EXTENSION } from '../common/http/security-schemes.js';
import { documentOperation } from './swagger.js';

/** An operation as `SwaggerModule` hands it over: a 403 from `@Auth`, a body, and the facts of its decorator. */
function operationWith(facts: RouteFacts | undefined, options: { policy?: boolean; body?: boolean } = {}): OperationObject {
  const operation: Record<string, unknown> = {
    responses: { '200': { description: '' }, ...(options.policy ? { '403': { description: 'Needs role `admin` and scope `users:write` (`insufficient_role`, `insufficient_scope`)' } } : {}) },
    ...(options.body ? { requestBody: { content: {} } } : {}),
  };
  if (facts) operation[ROUTE_FACTS_EXTENSION] = facts;
  if (options.policy) operation[AUTH_POLICY_EXTENSION] = { roles: ['admin'], scopes: ['users:write'] };
  return operation as unknown as OperationObject;
}

const response = (operation: OperationObject, status: number) => operation.responses[String(status)] as ResponseObject | undefined;
const contentOf = (operation: OperationObject, status: number) => response(operation, status)?.content?.['application/json'];

describe(documentOperation.name, () => {
  it('answers the outage’s 503 on every route but those that state they work without the database', () => {
    const sut = operationWith({});
    const databaseFree = operationWith({ worksWithoutDatabase: true });
    documentOperation(sut);
    documentOperation(databaseFree);
    expect(response(sut, 503)?.description).toMatch(/service_unavailable/);
    expect(response(databaseFree, 503)).toBeUndefined();
  });

  it('documents `rate_limited` only where the route states it is rate limited', () => {
    const sut = operationWith({ rateLimited: true });
    const unlimited = operationWith({});
    documentOperation(sut);
    documentOperation(unlimited);
    expect(response(sut, 429)?.description).toMatch(/rate_limited/);
    expect(response(unlimited, 429)).toBeUndefined();
  });

  it('documents a locked account’s `too_many_attempts` where the route checks a password, after its rate limit', () => {
    const passwordOnly = operationWith({ checksPassword: true });
    const both = operationWith({ rateLimited: true, checksPassword: true });
    documentOperation(passwordOnly);
    documentOperation(both);
    expect(response(passwordOnly, 429)?.description).toBe('Too many failed sign-ins: a locked account (`too_many_attempts`, with `Retry-After`)');
    expect(response(both, 429)?.description).toBe('`rate_limited`; or a locked account (`too_many_attempts`, with `Retry-After`)');
  });

  it('answers errors in RFC 6749 form where the route states it, whatever its path', () => {
    const sut = operationWith({ oauthErrors: true }, { body: true });
    const contractErrors = operationWith({}, { body: true });
    documentOperation(sut);
    documentOperation(contractErrors);
    expect(contentOf(sut, 400)?.schema).toEqual({ $ref: '#/components/schemas/OAuthErrorBodyDto' });
    expect(contentOf(sut, 415)?.schema).toEqual({ allOf: [{ $ref: '#/components/schemas/ErrorBodyDto' }], properties: { code: { type: 'string', enum: ['unsupported_media_type'] } } });
    expect(contentOf(contractErrors, 400)?.schema).toMatchObject({ allOf: [{ $ref: '#/components/schemas/ErrorBodyDto' }] });
  });

  it('adds the tenant rule and `tenant_mismatch` where the route names its tenant parameter, in that parameter’s name', () => {
    const sut = operationWith({ tenantParameter: 'organizationId' }, { policy: true });
    const untenanted = operationWith({}, { policy: true });
    documentOperation(sut);
    documentOperation(untenanted);
    expect(sut.description).toBe('**Needs role `admin` and scope `users:write`**; the token’s tenant must be `{organizationId}` unless the caller is a superadmin.');
    expect(response(sut, 403)?.description).toMatch(/`tenant_mismatch`/);
    expect(untenanted.description).toBe('**Needs role `admin` and scope `users:write`**.');
    expect(response(untenanted, 403)?.description).not.toMatch(/tenant_mismatch/);
  });

  it('leaves neither the policy nor the facts in the document', () => {
    const sut = operationWith({ rateLimited: true }, { policy: true });
    documentOperation(sut);
    expect(Object.keys(sut).filter((key) => key.startsWith('x-'))).toEqual([]);
  });
});
