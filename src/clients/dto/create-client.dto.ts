import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString } from 'class-validator';
import { CLIENT_SCOPES, type Scope } from '../../access/roles-and-scopes.js';
import { Chars } from '../../common/dto/chars.decorator.js';

export class CreateClientDto {
  @ApiProperty({ example: 'billing-service', maxLength: 200 })
  @IsString()
  @Chars(1, 200)
  name!: string;

  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true, example: ['users:read'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CLIENT_SCOPES.length)
  @ArrayUnique()
  @IsIn(CLIENT_SCOPES, { each: true, message: `each scope must be one of ${CLIENT_SCOPES.join(', ')}` })
  scopes!: Scope[];
}
