import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { describePolicy } from '../access/decorators/authorization.decorators.js';
import type { RouteFacts } from '../access/decorators/route-facts.js';
import type { Role, Scope } from '../access/roles-and-scopes.js';
import { SCOPES } from '../access/roles-and-scopes.js';
import { ErrorBodyDto, OAuthErrorBodyDto } from '../common/errors/error-body.dto.js';
import { ANSWERED_CODES } from '../common/errors/error-code.js';
import {
  AUTH_POLICY_EXTENSION,
  BEARER_SECURITY,
  OAUTH2_SECURITY,
  CLIENT_SECURITY,
  PASSWORD_FLOW_DESCRIPTION,
  ROUTE_FACTS_EXTENSION,
  SCOPE_DESCRIPTIONS,
} from '../common/http/security-schemes.js';

const TITLE = 'Portcullis API';

/** Tags in reading order: signing in first, operations last. */
const TAGS: [name: string, description: string][] = [
  ['auth', 'Register, sign in, refresh, change the password, sign out'],
  ['oauth', 'OAuth 2.0 token and revocation endpoints (RFC 6749, RFC 7009): what the Authorize dialog’s password flow uses'],
  ['users', 'The signed-in user’s own profile'],
  ['sessions', 'The signed-in user’s sessions (one per sign-in)'],
  ['tenant administration', 'A tenant’s users, API clients and audit trail, for its moderators and admins'],
  ['audit', 'Audit trails: who did what, when, from where'],
  ['platform', 'Tenants, signing keys and the platform-wide audit trail, for superadmins'],
  ['discovery', 'OpenID-style discovery and the public signing keys'],
  ['health', 'Liveness and database reachability'],
  ['operations', 'Metrics and other operator endpoints'],
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const errorRef: ReferenceObject = { $ref: `#/components/schemas/${ErrorBodyDto.name}` };
const oauthErrorRef: ReferenceObject = { $ref: `#/components/schemas/${OAuthErrorBodyDto.name}` };

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

const DEFAULT_DESCRIPTION: Record<number, string> = {
  400: 'Malformed JSON, a missing or invalid field, or an unknown one (`validation_failed`, `bad_request`)',
  404: 'Nothing with this id here, or the id is not a UUID (`not_found`)',
  413: 'A body over 64 KiB (`payload_too_large`)',
  415: 'A body that is neither JSON nor form-encoded (`unsupported_media_type`)',
  503: 'The database is unreachable; retry after `Retry-After` seconds (`service_unavailable`)',
};

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

interface AuthPolicyExtension {
  roles: Role[];
  scopes: Scope[];
}

/** What `@Auth` and `@Public` put on the operation for this builder, taken off so that the document carries none of it. */
function takeExtensions(operation: OperationObject): { policy: AuthPolicyExtension | undefined; facts: RouteFacts } {
  const extensions = operation as unknown as Record<string, unknown>;
  const policy = extensions[AUTH_POLICY_EXTENSION] as AuthPolicyExtension | undefined;
  const facts = extensions[ROUTE_FACTS_EXTENSION] as RouteFacts | undefined;
  delete extensions[AUTH_POLICY_EXTENSION];
  delete extensions[ROUTE_FACTS_EXTENSION];
  return { policy, facts: facts ?? {} };
}

/** The codes a body of `status` may carry. */
const codesAnsweredWith = (status: number): string[] => [...new Set(ANSWERED_CODES.filter((answered) => answered.status === status).map(({ code }) => code))];

/** The contract's codes a response's description names in backticks, in order, that belong to its status. */
function codesNamed(description: string, status: number): string[] {
  const possible = codesAnsweredWith(status);
  const named = [...description.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]).filter((code) => possible.includes(code));
  return [...new Set(named)];
}

function errorContent(status: number, codes: string[], oauth: boolean): ResponseObject['content'] {
  if (oauth && ![413, 415].includes(status)) {
    const example = { error: status === 503 ? 'temporarily_unavailable' : status === 429 && codes.includes('rate_limited') ? 'rate_limited' : status === 401 ? 'invalid_client' : 'invalid_grant', error_description: STATUS_TEXT[status] ?? 'Error' };
    return { 'application/json': { schema: oauthErrorRef, example } };
  }
  const schema: SchemaObject = codes.length > 0 ? { allOf: [errorRef], properties: { code: { type: 'string', enum: codes } } } : { allOf: [errorRef] };
  const code = codes[0] ?? 'bad_request';
  return {
    'application/json': {
      schema,
      example: { statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message: `${STATUS_TEXT[status] ?? 'Error'} (${code})`, code },
    },
  };
}

function ensureResponse(operation: OperationObject, status: number, description: string): void {
  operation.responses[String(status)] ??= { description };
}

function isParameter(parameter: ParameterObject | ReferenceObject): parameter is ParameterObject {
  return !('$ref' in parameter);
}

/**
 * What no decorator can say alone: the answers every route shares (400 on bodies and queries,
 * 404 for ids, 413, 415, 503), the error schema and codes of every error response, typed ids,
 * and the policy of `@Auth` in words. What a route does beyond that (rate limited, checks a
 * password, answers RFC 6749 errors, needs no database, names a tenant parameter) comes from
 * the facts its `@Auth` or `@Public` states, never from its path.
 */
export function documentOperation(operation: OperationObject): void {
  const parameters = (operation.parameters ?? []).filter(isParameter);
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  for (const parameter of pathParameters) {
    parameter.schema = { type: 'string', format: 'uuid' };
    const thing = parameter.name.replace(/Id$/, '');
    parameter.description ??= `The ${thing}’s id (a UUID; anything else is answered 404)`;
    parameter.example ??= '3f6c2a8e-1b7d-4c59-9a0e-5d2f8b4c7e10';
  }
  const { policy, facts } = takeExtensions(operation);
  const oauth = facts.oauthErrors === true;

  if (operation.requestBody) {
    ensureResponse(operation, 400, oauth ? 'An invalid request (`invalid_request`, `invalid_grant`, `unsupported_grant_type`, `invalid_scope`)' : DEFAULT_DESCRIPTION[400]);
    ensureResponse(operation, 413, DEFAULT_DESCRIPTION[413]);
    ensureResponse(operation, 415, DEFAULT_DESCRIPTION[415]);
  }
  if (parameters.some((parameter) => parameter.in === 'query')) {
    ensureResponse(operation, 400, 'A query parameter out of range or unknown (`validation_failed`)');
  }
  if (pathParameters.length > 0) ensureResponse(operation, 404, DEFAULT_DESCRIPTION[404]);
  if (facts.rateLimited) ensureResponse(operation, 429, '`rate_limited`');
  if (facts.checksPassword) {
    const response = operation.responses['429'] as ResponseObject | undefined;
    const lock = 'a locked account (`too_many_attempts`, with `Retry-After`)';
    if (!response) ensureResponse(operation, 429, `Too many failed sign-ins: ${lock}`);
    else if (!response.description.includes('too_many_attempts')) response.description += `; or ${lock}`;
  }
  if (!facts.worksWithoutDatabase) ensureResponse(operation, 503, DEFAULT_DESCRIPTION[503]);

  if (policy) {
    const needs = describePolicy({ roles: policy.roles.length > 0 ? policy.roles : undefined, scopes: policy.scopes });
    const tenant = facts.tenantParameter;
    const tenantRule = tenant !== undefined ? `; the token’s tenant must be \`{${tenant}}\` unless the caller is a superadmin` : '';
    operation.description = [`**${needs}**${tenantRule}.`, operation.description].filter(Boolean).join('\n\n');
    const forbidden = operation.responses['403'] as ResponseObject | undefined;
    if (forbidden && tenant !== undefined) forbidden.description += '; or the token is of another tenant (`tenant_mismatch`)';
  }

  for (const [key, value] of Object.entries(operation.responses)) {
    const status = Number(key);
    if (!(status >= 400) || value === undefined || '$ref' in value) continue;
    const response = value;
    let codes = codesNamed(response.description, status);
    if (codes.length === 0 && status === 400) codes = ['validation_failed', 'bad_request'];
    if (codes.length === 0) codes = codesAnsweredWith(status);
    if (status === 429 || status === 503) response.headers = { ...retryAfter, ...response.headers };
    response.content = errorContent(status, codes, oauth);
  }
}

function document(raw: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(raw.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) documentOperation(operation);
    }
  }
  raw.tags = TAGS.map(([name, description]) => ({ name, description }));
  return raw;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(TITLE)
    .setDescription(
      [
        'Multi-tenant authentication and authorization.',
        '',
        'Use **Authorize**: paste an access token under `bearer`, or sign in under `oauth2` with the password flow',
        '(a user of a tenant other than `default` types `tenant/email` as the username, e.g. `acme/ada@example.com`).',
        'Nothing you type is kept in the browser’s storage; reloading the page signs you out, and Logout revokes the session.',
        '',
        'Errors answer `{statusCode, error, message, code}` with a stable `code`; `/auth/token` and `/auth/revoke` answer RFC 6749’s `{error, error_description}`.',
      ].join('\n'),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from `/auth/login` or `/auth/token`' }, BEARER_SECURITY)
    .addOAuth2(
      {
        type: 'oauth2',
        description: PASSWORD_FLOW_DESCRIPTION,
        flows: {
          password: {
            tokenUrl: '/auth/token',
            refreshUrl: '/auth/token',
            scopes: Object.fromEntries(SCOPES.map((scope) => [scope, SCOPE_DESCRIPTIONS[scope] ?? scope])),
          },
        },
      },
      OAUTH2_SECURITY,
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'A confidential API client’s id and secret (`client_secret_basic`), on the routes that take them: introspection' },
      CLIENT_SECURITY,
    )
    .build();
  return document(SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto, OAuthErrorBodyDto] }));
}

/**
 * Swagger UI plugin: Logout also revokes the password flow's session on the server (RFC 7009,
 * with the refresh token, which ends the session and every access token of it). Serialized into
 * the page as source, so it must not use anything from this module.
 */
function revokeOnLogout() {
  return {
    statePlugins: {
      auth: {
        wrapActions: {
          logout:
            (original: (names: string[]) => unknown, system: { authSelectors: { authorized: () => { toJS: () => Record<string, { token?: { refresh_token?: string } }> } } }) =>
            (names: string[]) => {
              const authorized = system.authSelectors.authorized().toJS();
              for (const name of names) {
                const token = authorized[name]?.token?.refresh_token;
                if (token) {
                  void fetch('/auth/revoke', {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                    body: `token=${encodeURIComponent(token)}&token_type_hint=refresh_token`,
                  });
                }
              }
              return original(names);
            },
        },
      },
    },
  };
}

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json`. */
export function setupSwagger(app: NestFastifyApplication, _config: AppConfig): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: TITLE,
    swaggerOptions: {
      // Off: Swagger UI would keep the password-flow form, password included, in localStorage.
      persistAuthorization: false,
      plugins: [revokeOnLogout],
    },
  });
}
