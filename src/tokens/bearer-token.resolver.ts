import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerTokenOf } from '../access/authentication/bearer-token.js';
import { type CredentialResolver, NOT_MINE, type Resolution, ResolvesCredentials } from '../access/authentication/credential-resolver.js';
import { AccessTokenAuthentication } from './access-token-authentication.service.js';

/** The access token in `Authorization: Bearer` (RFC 6750): asked first. */
@Injectable()
@ResolvesCredentials({ order: 0 })
export class BearerTokenResolver implements CredentialResolver {
  constructor(private readonly accessTokens: AccessTokenAuthentication) {}

  resolve(request: FastifyRequest): Resolution | Promise<Resolution> {
    const token = bearerTokenOf(request);
    return token === undefined ? NOT_MINE : this.accessTokens.principalFor(token);
  }
}
