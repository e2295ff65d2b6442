import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsString, Matches, ValidateNested } from 'class-validator';
import { TENANT_SLUG_PATTERN } from '../tenant-slug.js';
import { AccountFieldsDto } from '../../common/accounts/account-fields.dto.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

/** The tenant's first admin: a new user's fields, the role being fixed. */
export class TenantAdminDto extends AccountFieldsDto {}

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', description: 'Lower-case letters, digits and dashes' })
  @Matches(TENANT_SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and dashes' })
  slug!: string;

  @ApiProperty({ example: 'Acme Corp', maxLength: 200 })
  @IsString()
  @Chars(1, 200)
  name!: string;

  @ApiPropertyOptional({ default: false })
  @Optional()
  @IsBoolean()
  selfSignup?: boolean;

  @ApiProperty({ type: TenantAdminDto, description: 'The tenant’s first admin' })
  @IsObject()
  @ValidateNested()
  @Type(() => TenantAdminDto)
  admin!: TenantAdminDto;
}
