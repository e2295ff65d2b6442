import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** RFC 6749 token request, as JSON or `application/x-www-form-urlencoded`. Which fields count depends on `grant_type`. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token', 'client_credentials'] })
  @IsString()
  @MaxLength(64)
  grant_type!: string;

  @ApiPropertyOptional({ description: 'password grant: the email' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  username?: string;

  @ApiPropertyOptional({ description: 'password grant' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'password grant: tenant slug (default `default`)' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  tenant?: string;

  @ApiPropertyOptional({ description: 'Space-separated scopes' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  scope?: string;

  // Like /auth/refresh: any string that is not a live refresh token is `invalid_grant`, however long.
  @ApiPropertyOptional({ description: 'refresh_token grant' })
  @IsOptional()
  @IsString()
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'client_credentials grant, when not sent by HTTP Basic' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_credentials grant, when not sent by HTTP Basic' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  client_secret?: string;
}
