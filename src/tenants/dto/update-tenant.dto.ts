import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString } from 'class-validator';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

export class UpdateTenantDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Acme Corporation' })
  @Optional()
  @IsString()
  @Chars(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  selfSignup?: boolean;

  @ApiPropertyOptional({ description: 'false disables the tenant: every token of it is refused with `tenant_disabled`' })
  @Optional()
  @IsBoolean()
  active?: boolean;
}
