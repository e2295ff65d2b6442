import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { IssuedTokens } from '../../tokens/issued-tokens.js';

export class TokenPairDto {
  @ApiProperty({ description: 'A JWT (RFC 9068), to send as `Authorization: Bearer …`', example: 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6IjVmM2MifQ.eyJzdWIiOiI5ZjE4YWZjNCJ9.MEUCIQ' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;

  @ApiPropertyOptional({ description: 'Opaque; absent for client_credentials', example: 'rt_V3gWq9yZp2LkXc8TnR4mHs7JdA1eBfUo6iQxGvNwKzY' })
  refresh_token?: string;

  @ApiProperty({ description: 'Space-separated scopes the access token carries', example: 'profile' })
  scope!: string;

  static of({ access, refreshToken }: IssuedTokens): TokenPairDto {
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      scope: access.scope,
    };
  }
}
