import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { TENANT_SLUG_PATTERN } from './register.dto.js';

export class LoginDto {
  @ApiPropertyOptional({ description: 'Tenant slug', default: 'default', example: 'default' })
  @IsOptional()
  @Matches(TENANT_SLUG_PATTERN, { message: 'tenant must be a tenant slug' })
  tenant?: string;

  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @Length(1, 320)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 1024)
  password!: string;

  @ApiPropertyOptional({ description: 'Space-separated scopes wanted; none means all the roles allow', example: 'profile' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  scope?: string;
}
