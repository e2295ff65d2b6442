/** A tenant's slug: lower-case letters, digits and inner dashes, at most 63 characters (a DNS label). */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The tenant every fresh install has, and the one a sign-in or registration naming none means. */
export const DEFAULT_TENANT_SLUG = 'default';
