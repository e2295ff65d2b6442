import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

export class UserSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email or name, any letter case' })
  @Optional()
  @IsString()
  @Chars(0, 200)
  q?: string;
}
