import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class RefreshDto {
  // Any string is a question about a token, answered 401 `refresh_token_invalid` when it is not a live one (never a 400).
  @ApiProperty({ description: 'The refresh token of a token pair', example: 'rt_V3gWq9yZp2LkXc8TnR4mHs7JdA1eBfUo6iQxGvNwKzY' })
  @IsString()
  refresh_token!: string;
}
