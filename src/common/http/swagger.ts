import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../../config/app-config.js';
import { BEARER_SECURITY, OAUTH2_SECURITY } from './security-schemes.js';
import { SCOPES } from '../../auth/roles-and-scopes.js';

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Portcullis')
    .setDescription('Multi-tenant authentication and authorization. Use Authorize: paste an access token, or sign in with the password flow.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SECURITY)
    .addOAuth2(
      {
        type: 'oauth2',
        flows: {
          password: {
            tokenUrl: '/auth/token',
            scopes: Object.fromEntries(SCOPES.map((scope) => [scope, scope])),
          },
        },
      },
      OAUTH2_SECURITY,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json`. */
export function setupSwagger(app: NestFastifyApplication, _config: AppConfig): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
