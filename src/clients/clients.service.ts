import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CLIENT_SUBJECT_PREFIX, type Scope } from '../auth/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { AppConfig } from '../config/app-config.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { CLOCK_TOLERANCE_SECONDS } from '../tokens/access-token-format.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { ApiClient } from './api-client.entity.js';
import { generateClientSecret, hashClientSecret } from './client-secret.js';

/** A tenant's API clients, every query scoped by the tenant id. */
@Injectable()
export class ClientsService {
  private readonly accessTokenTtlSeconds: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectRepository(ApiClient) private readonly clients: Repository<ApiClient>,
    private readonly tenants: TenantsService,
    private readonly revocations: RevocationService,
  ) {
    this.accessTokenTtlSeconds = config.get('jwt', { infer: true }).accessTokenTtlSeconds;
  }

  /** Creates a client; its secret is answered this once and kept only as a hash. */
  async create(tenantId: string, name: string, scopes: Scope[]): Promise<{ client: ApiClient; secret: string }> {
    if (!(await this.tenants.findById(tenantId))) throw new DomainError('not_found', 'Tenant not found');
    const secret = generateClientSecret();
    const { id } = await this.clients.save(this.clients.create({ tenantId, name, scopes, secretHash: hashClientSecret(secret) }));
    return { client: await this.clients.findOneByOrFail({ id, tenantId }), secret };
  }

  list(tenantId: string, limit: number, offset: number): Promise<[ApiClient[], number]> {
    return this.clients.findAndCount({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  /** Deletes a client; every token it holds is refused from the next request on. */
  async remove(tenantId: string, clientId: string): Promise<void> {
    await this.revocations.revokeWith(async (manager) => {
      const { affected } = await manager.delete(ApiClient, { id: clientId, tenantId });
      if (!affected) throw new DomainError('not_found', 'Client not found');
      const now = Math.floor(Date.now() / 1000);
      return {
        entries: [
          {
            kind: 'subject',
            key: `${CLIENT_SUBJECT_PREFIX}${clientId}`,
            notBefore: now,
            expiresAt: now + this.accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS,
          },
        ],
        result: undefined,
      };
    });
  }
}
