import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { ROLES, type Role } from '../../access/roles-and-scopes.js';
import { AccountFieldsDto } from '../../common/accounts/account-fields.dto.js';

export class CreateUserDto extends AccountFieldsDto {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['user'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
