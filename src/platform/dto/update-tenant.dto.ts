import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

export class UpdateTenantDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  selfSignup?: boolean;

  @ApiPropertyOptional({ description: 'false disables the tenant: every token of it is refused with `tenant_disabled`' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
