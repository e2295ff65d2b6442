import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** RFC 7009 revocation request. */
export class RevokeTokenDto {
  @ApiProperty({ description: 'An access token or a refresh token' })
  @IsString()
  @MaxLength(8192)
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] })
  @IsOptional()
  @IsIn(['access_token', 'refresh_token'])
  token_type_hint?: string;
}
