import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type CredentialResolver, NOT_MINE, type Resolution, ResolvesCredentials } from '../access/authentication/credential-resolver.js';
import type { RouteFacts } from '../access/decorators/route-facts.js';
import { type ClientPrincipal, clientSubject } from '../access/principal.js';
import { DomainError } from '../common/errors/domain.error.js';
import { ClientAuthenticator } from './client-authenticator.service.js';
import { presentedClientOf } from './presented-client.js';

/**
 * A confidential client's own id and secret (`client_secret_basic` or `client_secret_post`), on
 * the routes that take them (`clientCredentials`): asked after the bearer token. The client is
 * the caller for this one request, with its own scopes.
 */
@Injectable()
@ResolvesCredentials({ order: 1 })
export class ClientSecretResolver implements CredentialResolver {
  constructor(private readonly clients: ClientAuthenticator) {}

  resolve(request: FastifyRequest, route: RouteFacts): Resolution | Promise<Resolution> {
    if (!route.clientCredentials) return NOT_MINE;
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as { client_id?: unknown; client_secret?: unknown }) : {};
    const presented = presentedClientOf(request.headers.authorization, {
      client_id: typeof body.client_id === 'string' ? body.client_id : undefined,
      client_secret: typeof body.client_secret === 'string' ? body.client_secret : undefined,
    });
    if (!presented) return NOT_MINE;
    if (presented.clientSecret === undefined) throw new DomainError('invalid_client', 'Client authentication failed');
    return this.clients.authenticate(presented.clientId, presented.clientSecret).then((client): ClientPrincipal => {
      const now = Math.floor(Date.now() / 1000);
      return {
        kind: 'client',
        clientId: client.id,
        subject: clientSubject(client.id),
        tenantId: client.tenantId,
        roles: [],
        scopes: client.scopes,
        // No token: these name this one authenticated request.
        tokenId: randomUUID(),
        issuedAt: now,
        expiresAt: now,
      };
    });
  }
}
