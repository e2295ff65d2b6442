import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain.error.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { ApiClient } from './api-client.entity.js';
import { clientSecretMatches, hashClientSecret } from './client-secret.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Compared against when the client is unknown, so that both cases cost the same. */
const NO_CLIENT_HASH = hashClientSecret('portcullis-no-such-client');

/** Checks client credentials: one answer for an unknown client, a wrong secret or a disabled tenant. */
@Injectable()
export class ClientAuthenticator {
  constructor(
    @InjectRepository(ApiClient) private readonly clients: Repository<ApiClient>,
    private readonly tenants: TenantsService,
  ) {}

  async authenticate(clientId: string, secret: string): Promise<ApiClient> {
    const client = UUID.test(clientId)
      ? await this.clients.createQueryBuilder('client').addSelect('client.secretHash').where('client.id = :clientId', { clientId }).getOne()
      : null;
    const matches = clientSecretMatches(secret, client?.secretHash ?? NO_CLIENT_HASH);
    const tenant = client && matches ? await this.tenants.findById(client.tenantId) : null;
    if (!client || !matches || !tenant?.active) throw new DomainError('invalid_client', 'Client authentication failed');
    const { secretHash: _hash, ...withoutHash } = client;
    return withoutHash as ApiClient;
  }
}
