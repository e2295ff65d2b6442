import type { Scope } from './roles-and-scopes.js';
import type { RequestContext } from '../common/http/request-context.js';

/** Who is acting on a protected route, and from where: what guard rails check and audit events record. */
export interface Actor {
  /** The token's subject: a user id, or `client:<clientId>`. */
  id: string;
  isSuperadmin: boolean;
  /** What the caller's token holds: the most it may grant. */
  scopes: Scope[];
  origin: RequestContext;
}
