import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { TENANT_SLUG_PATTERN } from '../../auth/dto/register.dto.js';

export class TenantAdminDto {
  @ApiProperty({ example: 'admin@acme.example' })
  @IsEmail({}, { message: 'admin.email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', description: 'Lower-case letters, digits and dashes' })
  @Matches(TENANT_SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and dashes' })
  slug!: string;

  @ApiProperty({ example: 'Acme Corp', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  selfSignup?: boolean;

  @ApiProperty({ type: TenantAdminDto, description: 'The tenant’s first admin' })
  @IsObject()
  @ValidateNested()
  @Type(() => TenantAdminDto)
  admin!: TenantAdminDto;
}
