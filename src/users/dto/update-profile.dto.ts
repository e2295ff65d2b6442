import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateIf } from 'class-validator';
import { Chars } from '../../common/dto/chars.decorator.js';

export class UpdateProfileDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 200, example: 'Ada Lovelace' })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Chars(1, 200)
  name!: string | null;
}
