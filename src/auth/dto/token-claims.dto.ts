import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../../access/roles-and-scopes.js';
import type { Principal } from '../../access/principal.js';

/** What a verified access token says about its holder. */
export class TokenClaimsDto {
  @ApiProperty({ description: 'A user id, or `client:<clientId>`', example: '3f1c0d4e-8a43-4d8e-9d53-2f0b8e1c7a10' })
  sub!: string;

  @ApiProperty({ format: 'uuid', description: 'Tenant id' })
  tid!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];

  @ApiProperty({ example: 'profile users:read' })
  scope!: string;

  @ApiProperty({ description: 'The OAuth client the token was issued to (`portcullis` for the service’s own sign-ins)', example: 'portcullis' })
  client_id!: string;

  @ApiPropertyOptional({ description: 'NumericDate: when the user proved who they are (absent for API clients)' })
  auth_time?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Session id (absent for API clients)' })
  sid?: string;

  @ApiProperty({ format: 'uuid' })
  jti!: string;

  @ApiProperty({ description: 'NumericDate' })
  iat!: number;

  @ApiProperty({ description: 'NumericDate' })
  exp!: number;

  /**
   * The claims of a verified token. A principal comes from the verified-token cache, the same
   * object for every request with the same token, so its claims are built once and kept beside it.
   */
  static from(principal: Principal): Readonly<TokenClaimsDto> {
    let claims = claimsByPrincipal.get(principal);
    if (!claims) {
      claims = Object.freeze({
        sub: principal.subject,
        tid: principal.tenantId,
        roles: principal.roles,
        scope: principal.scopes.join(' '),
        client_id: principal.clientId,
        ...(principal.kind === 'user' && principal.authTime !== undefined ? { auth_time: principal.authTime } : {}),
        ...(principal.sessionId ? { sid: principal.sessionId } : {}),
        jti: principal.tokenId,
        iat: principal.issuedAt,
        exp: principal.expiresAt,
      });
      claimsByPrincipal.set(principal, claims);
    }
    return claims;
  }
}

const claimsByPrincipal = new WeakMap<Principal, Readonly<TokenClaimsDto>>();
