import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { TENANT_SLUG_PATTERN } from '../../tenants/tenant-slug.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

export class LoginDto {
  @ApiPropertyOptional({ description: 'Tenant slug', default: 'default', example: 'default' })
  @Optional()
  @Matches(TENANT_SLUG_PATTERN, { message: 'tenant must be a tenant slug' })
  tenant?: string;

  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @Chars(1, 320)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Chars(1, 1024)
  password!: string;

  @ApiPropertyOptional({ description: 'Space-separated scopes wanted; none means all the roles allow', example: 'profile' })
  @Optional()
  @IsString()
  @Chars(0, 1000)
  scope?: string;
}
