import { ApiProperty } from '@nestjs/swagger';
import type { Tenant } from '../tenant.entity.js';

export class TenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'acme' })
  slug!: string;

  @ApiProperty({ example: 'Acme Corp' })
  name!: string;

  @ApiProperty()
  selfSignup!: boolean;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  static from(tenant: Tenant): TenantDto {
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      selfSignup: tenant.selfSignup,
      active: tenant.active,
      createdAt: tenant.createdAt.toISOString(),
    };
  }
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantDto] })
  items!: TenantDto[];

  @ApiProperty()
  total!: number;
}
