import { Controller, Get, Header } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '../access/roles-and-scopes.js';
import { Public } from '../access/decorators/public.decorator.js';
import type { AppConfig } from '../config/app-config.js';
import type { PublicJwk } from './signing-key.entity.js';
import { SigningKeysService } from './signing-keys.service.js';

const METADATA_RESPONSE = {
  description: 'Where the token, revocation, introspection and key endpoints are',
  schema: {
    type: 'object',
    properties: {
      issuer: { type: 'string', format: 'uri' },
      token_endpoint: { type: 'string', format: 'uri' },
      jwks_uri: { type: 'string', format: 'uri' },
      revocation_endpoint: { type: 'string', format: 'uri' },
      introspection_endpoint: { type: 'string', format: 'uri' },
      grant_types_supported: { type: 'array', items: { type: 'string' } },
      response_types_supported: { type: 'array', items: { type: 'string' } },
      scopes_supported: { type: 'array', items: { type: 'string' } },
      token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
      introspection_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
      revocation_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
      access_token_signing_alg_values_supported: { type: 'array', items: { type: 'string' } },
    },
    example: {
      issuer: 'https://auth.example.com',
      token_endpoint: 'https://auth.example.com/auth/token',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      revocation_endpoint: 'https://auth.example.com/auth/revoke',
      introspection_endpoint: 'https://auth.example.com/auth/introspect',
      grant_types_supported: ['password', 'refresh_token', 'client_credentials'],
      response_types_supported: [],
      scopes_supported: ['profile', 'users:read'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'bearer'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      access_token_signing_alg_values_supported: ['ES256'],
    },
  },
};

const CLIENT_AUTHENTICATION_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];

@ApiTags('discovery')
@Public()
@Controller('.well-known')
export class DiscoveryController {
  private readonly issuer: string;
  private readonly baseUrl: string;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly keys: SigningKeysService,
  ) {
    this.issuer = config.get('jwt', { infer: true }).issuer;
    this.baseUrl = this.issuer.replace(/\/+$/, '');
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (empty under HS256)' })
  @ApiOkResponse({ description: 'A JSON Web Key Set', schema: { example: { keys: [{ kty: 'EC', kid: '…', alg: 'ES256', use: 'sig' }] } } })
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.publicJwks() };
  }

  @Get('openid-configuration')
  @Public({ worksWithoutDatabase: true })
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata, where OpenID Connect clients look for it' })
  @ApiOkResponse(METADATA_RESPONSE)
  openidConfiguration(): Record<string, unknown> {
    return this.metadata();
  }

  @Get('oauth-authorization-server')
  @Public({ worksWithoutDatabase: true })
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414): the same document as /.well-known/openid-configuration' })
  @ApiOkResponse(METADATA_RESPONSE)
  oauthAuthorizationServer(): Record<string, unknown> {
    return this.metadata();
  }

  private metadata(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      token_endpoint: `${this.baseUrl}/auth/token`,
      jwks_uri: `${this.baseUrl}/.well-known/jwks.json`,
      revocation_endpoint: `${this.baseUrl}/auth/revoke`,
      introspection_endpoint: `${this.baseUrl}/auth/introspect`,
      grant_types_supported: ['password', 'refresh_token', 'client_credentials'],
      // No authorization endpoint, so no response type (RFC 8414 §2 requires the field).
      response_types_supported: [],
      scopes_supported: [...SCOPES],
      // `none`: a public client naming itself by client_id, and the service's own sign-ins.
      token_endpoint_auth_methods_supported: CLIENT_AUTHENTICATION_METHODS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTHENTICATION_METHODS,
      // A protected resource authenticates as a confidential client, or with an access token holding tokens:introspect.
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'bearer'],
      access_token_signing_alg_values_supported: [this.keys.signing.algorithm],
    };
  }
}
