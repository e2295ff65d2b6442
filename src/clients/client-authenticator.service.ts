import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FIRST_PARTY_CLIENT_ID } from '../access/principal.js';
import type { Scope } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { Transaction } from '../database/unit-of-work.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { ApiClient } from './api-client.entity.js';
import { clientSecretMatches, hashClientSecret } from './client-secret.js';
import type { PresentedClient } from './presented-client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Compared against when the client is unknown or has no secret, so that every case costs the same. */
const NO_CLIENT_HASH = hashClientSecret('portcullis-no-such-client');

/** An API client as a request acting through it established it: authenticated by its secret, or a public one that named itself. */
export interface IdentifiedClient {
  kind: 'confidential' | 'public';
  id: string;
  tenantId: string;
  tenantSlug: string;
  scopes: Scope[];
}

/** The OAuth client a request acts through: an API client, or the service's own (`portcullis`) when it names none. */
export type OAuthClient = IdentifiedClient | { kind: 'first-party'; id: typeof FIRST_PARTY_CLIENT_ID };

export const FIRST_PARTY_CLIENT: OAuthClient = { kind: 'first-party', id: FIRST_PARTY_CLIENT_ID };

const clientAuthenticationFailed = (): DomainError => new DomainError('invalid_client', 'Client authentication failed');

/** Checks client credentials: one answer for an unknown client, a wrong secret or a disabled tenant. */
@Injectable()
export class ClientAuthenticator {
  constructor(
    @InjectRepository(ApiClient) private readonly clients: Repository<ApiClient>,
    private readonly tenants: TenantsService,
  ) {}

  /**
   * The client a request presents: a confidential client must authenticate with its secret; a
   * public client names itself by `client_id` alone (it has no secret to send); `portcullis`, or
   * no client at all, is the service's own.
   */
  async identify(presented: PresentedClient | undefined): Promise<OAuthClient> {
    if (!presented || (presented.clientSecret === undefined && presented.clientId === FIRST_PARTY_CLIENT_ID)) return FIRST_PARTY_CLIENT;
    if (presented.clientSecret !== undefined) return this.authenticate(presented.clientId, presented.clientSecret);
    const client = await this.find(presented.clientId);
    const tenant = client?.type === 'public' ? await this.tenants.findById(client.tenantId) : null;
    if (!client || !tenant?.active) throw clientAuthenticationFailed();
    return { kind: 'public', id: client.id, tenantId: client.tenantId, tenantSlug: tenant.slug, scopes: client.scopes };
  }

  /** A confidential client, by its id and secret. */
  async authenticate(clientId: string, secret: string): Promise<IdentifiedClient> {
    const client = await this.find(clientId);
    const matches = clientSecretMatches(secret, client?.secretHash ?? NO_CLIENT_HASH);
    const tenant = client && matches ? await this.tenants.findById(client.tenantId) : null;
    if (!client || !matches || client.type !== 'confidential' || !tenant?.active) throw clientAuthenticationFailed();
    return { kind: 'confidential', id: client.id, tenantId: client.tenantId, tenantSlug: tenant.slug, scopes: client.scopes };
  }

  /**
   * Checks again, with the client and its tenant share-locked until the caller's transaction (the
   * grant's) ends, that the authenticated client still exists in an active tenant: a deletion or a
   * disable either came first and refuses the grant, or waits for it and then revokes its token.
   */
  async lockWhileIssuing(transaction: Transaction, client: IdentifiedClient): Promise<void> {
    const tenant = await this.tenants.lockWhileIssuing(transaction, client.tenantId);
    const still = await transaction.manager
      .getRepository(ApiClient)
      .createQueryBuilder('client')
      .setLock('pessimistic_read')
      .where('client.id = :id', { id: client.id })
      .getExists();
    if (!still || !tenant?.active) throw clientAuthenticationFailed();
  }

  private find(clientId: string): Promise<ApiClient | null> {
    if (!UUID.test(clientId)) return Promise.resolve(null);
    return this.clients.createQueryBuilder('client').addSelect('client.secretHash').where('client.id = :clientId', { clientId }).getOne();
  }
}
