import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 7662: `{ active: false }` alone, or the token's description. */
export class IntrospectionDto {
  @ApiProperty({ example: true })
  active!: boolean;

  @ApiPropertyOptional({ example: '9f18afc4-acdf-4c10-9a5d-e24b1e6ecafe' })
  sub?: string;

  @ApiPropertyOptional({ description: 'Tenant id', example: 'bd5a0b79-0a35-4dd6-8bab-9d6eccb7b081' })
  tid?: string;

  @ApiPropertyOptional({ example: 'profile users:read' })
  scope?: string;

  @ApiPropertyOptional({ type: 'integer', example: 1795465200 })
  exp?: number;

  @ApiPropertyOptional({ type: 'integer', example: 1795464300 })
  iat?: number;

  @ApiPropertyOptional({ example: 'c2a7e9d4-51f3-4b8e-a6d0-7f1e3b9c5a28' })
  jti?: string;

  @ApiPropertyOptional({ enum: ['Bearer', 'refresh_token'] })
  token_type?: string;

  @ApiPropertyOptional({ description: 'The OAuth client the token was issued to (`portcullis` for the service’s own sign-ins)', example: '0b8e6f4a-3d2c-4e1b-9a7f-5c6d8e0f1a2b' })
  client_id?: string;
}
