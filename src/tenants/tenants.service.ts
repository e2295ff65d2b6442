import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Transaction } from '../database/unit-of-work.js';
import { Tenant } from './tenant.entity.js';

@Injectable()
export class TenantsService {
  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {}

  findBySlug(slug: string): Promise<Tenant | null> {
    return this.tenants.findOneBy({ slug: slug.toLowerCase() });
  }

  findById(id: string): Promise<Tenant | null> {
    return this.tenants.findOneBy({ id });
  }

  /**
   * The tenant as it is now, share-locked until the caller's transaction (a sign-in's or a
   * grant's) ends, so that disabling it waits for that transaction or is seen by it.
   */
  lockWhileIssuing({ manager }: Transaction, id: string): Promise<Tenant | null> {
    return manager.getRepository(Tenant).createQueryBuilder('tenant').setLock('pessimistic_read').where('tenant.id = :id', { id }).getOne();
  }
}
