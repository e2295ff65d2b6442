/** Names of the OpenAPI security schemes (Swagger UI's Authorize dialog). */
export const BEARER_SECURITY = 'bearer';
export const OAUTH2_SECURITY = 'oauth2';
/** A confidential API client's id and secret by HTTP Basic, where a route takes them (`clientCredentials`). */
export const CLIENT_SECURITY = 'client';

/** OpenAPI extension on which `@Auth` hands a route's roles and scopes to the document builder. */
export const AUTH_POLICY_EXTENSION = 'x-portcullis-auth';

/** OpenAPI extension on which `@Auth` and `@Public` hand a route's facts (`RouteFacts`) to the document builder. */
export const ROUTE_FACTS_EXTENSION = 'x-portcullis-route-facts';

/** The scopes in words, as the Authorize dialog lists them. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  profile: 'Your own profile and sessions (every role)',
  'users:read': 'List and read the users of your tenant (moderator, admin)',
  'users:write': 'Create, change, disable, unlock and delete users of your tenant (admin)',
  'clients:write': 'Manage your tenant’s machine-to-machine API clients (admin)',
  'audit:read': 'Read your tenant’s audit trail (admin)',
  'tokens:introspect': 'Ask whether a token is active (RFC 7662 introspection; admin)',
  'tenants:read': 'List every tenant, read the platform-wide audit trail and the metrics (superadmin)',
  'tenants:write': 'Create and change tenants, rotate the signing key (superadmin)',
};

/** What the password flow expects, shown in the Authorize dialog. */
export const PASSWORD_FLOW_DESCRIPTION = [
  'Sign in with your email and password. A user of the `default` tenant types the email alone;',
  'a user of another tenant types `tenant/email` (for example `acme/ada@example.com`).',
  'Rule: the username is split at its first `/` only when the part before it is a tenant slug',
  '(lower-case letters, digits, dashes) and no `tenant` field is sent; otherwise the whole',
  'username is the email. An email with a `/` in its local part is written with its tenant',
  '(`default/ops/team@example.com`). Client id and secret stay empty. Ticking no scope asks',
  'for every scope your roles allow. Logout also revokes the session on the server.',
].join(' ');
