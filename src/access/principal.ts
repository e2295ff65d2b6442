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
  /** The OAuth client the token was issued to: an API client's id, or `portcullis` (`FIRST_PARTY_CLIENT_ID`). */
  clientId: string;
  sessionId?: string;
  /** When the user proved who they are (`auth_time`), kept by refreshes; absent from tokens older than the claim. */
  authTime?: number;
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

/** The `client_id` of sign-ins through the service's own JSON and browser routes (and of Swagger UI's, which names no client). */
export const FIRST_PARTY_CLIENT_ID = 'portcullis';

/** The `sub` claim of a client's own tokens. */
export const clientSubject = (clientId: string): string => `${CLIENT_SUBJECT_PREFIX}${clientId}`;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
