import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsString } from 'class-validator';
import { ROLES, type Role } from '../../access/roles-and-scopes.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Grace Hopper' })
  @Optional()
  @IsString()
  @Chars(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, example: ['moderator'] })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ description: 'false disables the account: its sessions end at once', example: true })
  @Optional()
  @IsBoolean()
  active?: boolean;
}
