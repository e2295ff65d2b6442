import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token of a token pair' })
  @IsString()
  @Length(1, 512)
  refresh_token!: string;
}
