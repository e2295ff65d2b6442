import { ApiProperty } from '@nestjs/swagger';
import { ANSWERED_CODES, type OAuthErrorCode } from './error-code.js';

export const ERROR_CODES = [...new Set(ANSWERED_CODES.map(({ code }) => code))];

/** The contract's error body, as `HttpErrorFilter` writes it. Documentation only. */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found', description: 'The status text' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'User not found',
    description: 'For humans; a list of messages for `validation_failed`',
  })
  message!: string | string[];

  @ApiProperty({ enum: ERROR_CODES, example: 'not_found', description: 'Stable, machine-readable' })
  code!: string;
}

const OAUTH_ERROR_CODES: OAuthErrorCode[] = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'temporarily_unavailable',
  'rate_limited',
];

/** RFC 6749 §5.2 error body of the OAuth endpoints (`/auth/token`, `/auth/revoke`). Documentation only. */
export class OAuthErrorBodyDto {
  @ApiProperty({ enum: OAUTH_ERROR_CODES, example: 'invalid_grant' })
  error!: OAuthErrorCode;

  @ApiProperty({ example: 'Invalid email or password' })
  error_description!: string;
}
