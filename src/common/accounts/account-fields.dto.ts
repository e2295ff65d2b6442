import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString } from 'class-validator';
import { Chars } from '../dto/chars.decorator.js';
import { Optional } from '../dto/optional.decorator.js';
import { IsAccountEmail, IsAcceptablePassword } from './account-fields.decorators.js';

/** A new account's own fields, wherever one is created (an admin's new user, a new tenant's first admin). */
export class AccountFieldsDto {
  @ApiProperty({ example: 'grace@example.com', maxLength: 320 })
  @IsEmail({}, { message: 'email must be an email address' })
  @IsAccountEmail()
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'Harbor-quill-7-velvet-Orbit', description: '8 to 128 characters; not a common or breached password, nor the email' })
  @IsAcceptablePassword('email')
  password!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Grace Hopper' })
  @Optional()
  @IsString()
  @Chars(1, 200)
  name?: string;
}
