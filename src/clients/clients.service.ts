import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { clientSubject } from '../access/principal.js';
import { assertGrantorHolds, type Scope } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { Actor } from '../access/actor.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AccessTokenLifetime } from '../tokens/access-token-lifetime.service.js';
import { CLOCK_TOLERANCE_SECONDS } from '../tokens/access-token-format.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { ApiClient, type ClientType } from './api-client.entity.js';
import { generateClientSecret, hashClientSecret } from './client-secret.js';
import { UnitOfWork } from '../database/unit-of-work.js';

export interface NewClient {
  name: string;
  type: ClientType;
  scopes: Scope[];
}

/** A tenant's API clients, every query scoped by the tenant id. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @InjectRepository(ApiClient) private readonly clients: Repository<ApiClient>,
    private readonly tenants: TenantsService,
    private readonly revocations: RevocationService,
    private readonly audit: AuditTrail,
    private readonly lifetime: AccessTokenLifetime,
  ) {}

  /** Creates a client; a confidential one's secret is answered this once and kept only as a hash. */
  async create(tenantId: string, { name, type, scopes }: NewClient, actor: Actor): Promise<{ client: ApiClient; secret?: string }> {
    assertGrantorHolds(scopes, actor.scopes);
    if (!(await this.tenants.findById(tenantId))) throw new DomainError('not_found', 'Tenant not found');
    const secret = type === 'confidential' ? generateClientSecret() : undefined;
    const client = await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const { id } = await manager.save(manager.create(ApiClient, { tenantId, name, type, scopes, secretHash: secret === undefined ? null : hashClientSecret(secret) }));
      await this.audit.record(transaction, { type: 'client.created', tenantId, actorId: actor.id, subjectId: id, data: { name, type, scopes } }, actor.origin);
      return manager.findOneByOrFail(ApiClient, { id, tenantId });
    });
    return { client, secret };
  }

  list(tenantId: string, limit: number, offset: number): Promise<[ApiClient[], number]> {
    return this.clients.findAndCount({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  /** Deletes a client; every token it holds is refused from the next request on. */
  async remove(tenantId: string, clientId: string, actor: Actor): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const [rows] = await manager.query<[Array<{ name: string; scopes: Scope[] }>, number]>(
        'DELETE FROM api_clients WHERE id = $1 AND tenant_id = $2 RETURNING name, scopes',
        [clientId, tenantId],
      );
      if (rows.length === 0) throw new DomainError('not_found', 'Client not found');
      await this.audit.record(transaction, { type: 'client.deleted', tenantId, actorId: actor.id, subjectId: clientId, data: { name: rows[0].name, scopes: rows[0].scopes } }, actor.origin);
      await this.revocations.record(transaction, [
        // Rounded up, and past the clock tolerance: no token of a deleted client is legitimate, and
        // another instance's clock may run ahead of this one.
        { kind: 'subject', key: clientSubject(clientId), notBefore: Math.ceil(Date.now() / 1000) + CLOCK_TOLERANCE_SECONDS, expiresAt: await this.lifetime.allExpiredBy(manager) },
      ]);
    });
  }
}
