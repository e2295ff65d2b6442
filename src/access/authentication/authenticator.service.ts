import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';
import type { RouteFacts } from '../decorators/route-facts.js';
import type { Principal } from '../principal.js';
import { type CredentialResolver, NOT_MINE, type Resolution, ResolvesCredentials } from './credential-resolver.js';

/**
 * Establishes who is calling: asks each credential resolver in turn, in their order, and answers
 * the first principal; a refusal stops the search. A request that no resolver claims has no
 * credential at all (`token_missing`).
 */
@Injectable()
export class Authenticator implements OnModuleInit {
  private resolvers: CredentialResolver[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.resolvers = this.discovery
      .getProviders({ metadataKey: ResolvesCredentials.KEY })
      .map((wrapper) => ({ resolver: wrapper.instance as CredentialResolver, order: this.discovery.getMetadataByDecorator(ResolvesCredentials, wrapper)?.order ?? 0 }))
      .sort((a, b) => a.order - b.order)
      .map(({ resolver }) => resolver);
  }

  /** The caller; a promise only when some resolver had to wait (a token not verified before, say). */
  authenticate(request: FastifyRequest, route: RouteFacts, from = 0): Principal | Promise<Principal> {
    for (let index = from; index < this.resolvers.length; index++) {
      const answer = this.resolvers[index].resolve(request, route);
      if (answer instanceof Promise) return answer.then((settled) => this.settle(settled, request, route, index));
      if (answer !== NOT_MINE) return principalOrRefusal(answer);
    }
    throw new DomainError('token_missing', 'An access token is required');
  }

  private settle(answer: Resolution, request: FastifyRequest, route: RouteFacts, index: number): Principal | Promise<Principal> {
    return answer === NOT_MINE ? this.authenticate(request, route, index + 1) : principalOrRefusal(answer);
  }
}

/** A resolver that answers anything but a principal or `NOT_MINE` is broken: nobody is let in on it. */
function principalOrRefusal(answer: unknown): Principal {
  const kind = (answer as Partial<Principal> | null | undefined)?.kind;
  if (kind !== 'user' && kind !== 'client') throw new Error('A credential resolver answered neither a principal nor NOT_MINE');
  return answer as Principal;
}
