import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

/** `client_secret_post` (RFC 6749 §2.3.1), or a public client naming itself; HTTP Basic is the other way. */
export class ClientAuthenticationDto {
  @ApiPropertyOptional({ description: 'The OAuth client, when not sent by HTTP Basic; a public client sends it alone', example: '0b8e6f4a-3d2c-4e1b-9a7f-5c6d8e0f1a2b' })
  @Optional()
  @IsString()
  @Chars(0, 200)
  client_id?: string;

  @ApiPropertyOptional({ description: 'A confidential client’s secret, when not sent by HTTP Basic' })
  @Optional()
  @IsString()
  @Chars(0, 512)
  client_secret?: string;
}
