import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';
import { IgnoresUnknownFields } from '../../common/http/validation.js';
import { ClientAuthenticationDto } from './client-authentication.dto.js';

/**
 * RFC 6749 token request, as JSON or `application/x-www-form-urlencoded`. Which fields count
 * depends on `grant_type`; parameters it does not know are ignored (§3.2).
 */
@IgnoresUnknownFields()
export class TokenRequestDto extends ClientAuthenticationDto {
  @ApiProperty({ description: '`password`, `refresh_token` or `client_credentials`; any other is `unsupported_grant_type`', example: 'password' })
  @IsString()
  @Chars(0, 64)
  grant_type!: string;

  @ApiPropertyOptional({ description: 'password grant: the email, or `tenant/email` for a tenant other than `default`', example: 'acme/ada@example.com' })
  @Optional()
  @IsString()
  @Chars(0, 320)
  username?: string;

  @ApiPropertyOptional({ description: 'password grant', example: 'correct-horse-battery-staple-42' })
  @Optional()
  @IsString()
  @Chars(0, 1024)
  password?: string;

  @ApiPropertyOptional({ description: 'password grant: tenant slug (default `default`); when given, `username` is the email as a whole', example: 'acme' })
  @Optional()
  @IsString()
  @Chars(0, 63)
  tenant?: string;

  @ApiPropertyOptional({ description: 'Space-separated scopes; none: every scope the roles allow', example: 'profile users:read' })
  @Optional()
  @IsString()
  @Chars(0, 1000)
  scope?: string;

  // Like /auth/refresh: any string that is not a live refresh token is `invalid_grant`, however long.
  @ApiPropertyOptional({ description: 'refresh_token grant' })
  @Optional()
  @IsString()
  refresh_token?: string;
}
