import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, ValidateIf } from 'class-validator';
import { CLIENT_SCOPES, type Scope } from '../../access/roles-and-scopes.js';
import { Chars } from '../../common/dto/chars.decorator.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { CLIENT_TYPES, type ClientType } from '../api-client.entity.js';

export class CreateClientDto {
  @ApiProperty({ example: 'billing-service', maxLength: 200 })
  @IsString()
  @Chars(1, 200)
  name!: string;

  @ApiPropertyOptional({
    enum: CLIENT_TYPES,
    default: 'confidential',
    description: '`confidential`: a secret, every grant. `public`: a single-page or native app, no secret; password and refresh grants only',
  })
  @Optional()
  @IsIn(CLIENT_TYPES)
  type?: ClientType;

  @ApiPropertyOptional({ enum: CLIENT_SCOPES, isArray: true, example: ['users:read'], description: 'What a confidential client may get for itself (`client_credentials`); required for it, refused for a public client' })
  @ValidateIf((dto: CreateClientDto) => dto.type !== 'public' || dto.scopes !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CLIENT_SCOPES.length)
  @ArrayUnique()
  @IsIn(CLIENT_SCOPES, { each: true, message: `each scope must be one of ${CLIENT_SCOPES.join(', ')}` })
  scopes?: Scope[];
}
