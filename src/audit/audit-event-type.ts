/** The contract's audit event types, each recorded by the flow that makes its change. */
export const AUDIT_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'login.locked',
  'account.unlocked',
  'token.refreshed',
  'token.reuse_detected',
  'session.revoked',
  'user.logged_out_everywhere',
  'user.password_changed',
  'user.registered',
  'user.created',
  'user.updated',
  'user.deleted',
  'client.created',
  'client.deleted',
  'client.token_issued',
  'tenant.created',
  'tenant.updated',
  'key.rotated',
  'key.withdrawn',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** What an event may carry beyond who and what: ids, names, reasons, before/after of plain fields; never a secret. */
export type AuditData = Record<string, string | number | boolean | null | string[] | Record<string, unknown>>;
