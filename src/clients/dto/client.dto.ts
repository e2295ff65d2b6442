import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_SCOPES, type Scope } from '../../access/roles-and-scopes.js';
import { type ApiClient, CLIENT_TYPES, type ClientType } from '../api-client.entity.js';

export class ClientDto {
  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ example: 'Billing service' })
  name!: string;

  @ApiProperty({ enum: CLIENT_TYPES })
  type!: ClientType;

  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true })
  scopes!: Scope[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  static from(client: ApiClient): ClientDto {
    return { clientId: client.id, tenantId: client.tenantId, name: client.name, type: client.type, scopes: client.scopes, createdAt: client.createdAt.toISOString() };
  }
}

export class CreatedClientDto extends ClientDto {
  @ApiPropertyOptional({ description: 'A confidential client’s secret, shown this once; only its hash is kept', example: 'cs_4Jt9Qm2XvB7nR8kLp3WzY6hD1sFgA5eC' })
  clientSecret?: string;
}

export class ClientPageDto {
  @ApiProperty({ type: [ClientDto] })
  items!: ClientDto[];

  @ApiProperty({ type: 'integer', example: 1 })
  total!: number;
}
