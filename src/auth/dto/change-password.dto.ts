import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Chars } from '../../common/dto/chars.decorator.js';
import { IsAcceptablePassword } from '../../common/accounts/account-fields.decorators.js';

export class ChangePasswordDto {
  @ApiProperty({ example: 'Harbor-quill-7-velvet-Orbit' })
  @IsString()
  @Chars(1, 1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: 'Not a common or breached password, nor the email', example: 'Lantern-moss-42-copper-Fjord' })
  @IsAcceptablePassword()
  newPassword!: string;
}
