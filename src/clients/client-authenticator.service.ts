import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Transaction } from '../database/unit-of-work.js';
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

  /**
   * Checks again, with the client and its tenant share-locked until the caller's transaction (the
   * grant's) ends, that the authenticated client still exists in an active tenant: a deletion or a
   * disable either came first and refuses the grant, or waits for it and then revokes its token.
   */
  async lockWhileIssuing(transaction: Transaction, client: ApiClient): Promise<void> {
    const tenant = await this.tenants.lockWhileIssuing(transaction, client.tenantId);
    const still = await transaction.manager
      .getRepository(ApiClient)
      .createQueryBuilder('client')
      .setLock('pessimistic_read')
      .where('client.id = :id', { id: client.id })
      .getExists();
    if (!still || !tenant?.active) throw new DomainError('invalid_client', 'Client authentication failed');
  }
}
