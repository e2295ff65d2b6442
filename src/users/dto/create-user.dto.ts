import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsString } from 'class-validator';
import { ROLES, type Role } from '../../access/roles-and-scopes.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';
import { IsAccountEmail, IsAcceptablePassword } from './account-fields.decorators.js';

export class CreateUserDto {
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

  @ApiProperty({ enum: ROLES, isArray: true, example: ['user'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
