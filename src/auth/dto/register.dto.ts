import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Matches } from 'class-validator';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';
import { TENANT_SLUG_PATTERN } from '../../tenants/tenant-slug.js';
import { IsAccountEmail, IsAcceptablePassword } from '../../common/accounts/account-fields.decorators.js';

/** Self-registration. Roles are not a field: registration always makes a plain `user`. */
export class RegisterDto {
  @ApiPropertyOptional({ description: 'Tenant slug', default: 'default', example: 'default' })
  @Optional()
  @Matches(TENANT_SLUG_PATTERN, { message: 'tenant must be a tenant slug' })
  tenant?: string;

  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @IsEmail({}, { message: 'email must be an email address' })
  @IsAccountEmail()
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'correct horse battery staple' })
  @IsAcceptablePassword('email')
  password!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @Optional()
  @IsString()
  @Chars(1, 200)
  name?: string;
}
