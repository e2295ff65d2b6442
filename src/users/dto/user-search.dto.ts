import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

export class UserSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email or name, any letter case' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
