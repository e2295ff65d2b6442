import type { Role, Scope } from './roles-and-scopes.js';

interface VerifiedCaller {
  /** The token's `sub`: a user id, or `client:<clientId>` for an API client. */
  subject: string;
  tenantId: string;
  roles: Role[];
  scopes: Scope[];
  tokenId: string;
  issuedAt: number;
  expiresAt: number;
}

/** A person signed in to a session. */
export interface UserPrincipal extends VerifiedCaller {
  kind: 'user';
  userId: string;
  sessionId?: string;
}

/** An API client acting for itself (`client_credentials`): no roles, no session. */
export interface ClientPrincipal extends VerifiedCaller {
  kind: 'client';
  clientId: string;
  sessionId?: undefined;
}

/** Who is calling, as a credential resolver established it. */
export type Principal = UserPrincipal | ClientPrincipal;

export const CLIENT_SUBJECT_PREFIX = 'client:';

/** The `sub` claim of a client's own tokens. */
export const clientSubject = (clientId: string): string => `${CLIENT_SUBJECT_PREFIX}${clientId}`;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
