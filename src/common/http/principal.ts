import type { Role, Scope } from '../../auth/roles-and-scopes.js';

/** Who is calling, as established from a verified access token. */
export interface Principal {
  /** The token's `sub`: a user id, or `client:<clientId>` for an API client. */
  subject: string;
  userId?: string;
  tenantId: string;
  roles: Role[];
  scopes: Scope[];
  sessionId?: string;
  tokenId: string;
  issuedAt: number;
  expiresAt: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
