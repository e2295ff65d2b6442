import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module.js';
import { buildOpenApiDocument } from '../openapi/swagger.js';
import { createRootLogger } from '../common/logging/root-logger.js';
import { loadAppConfig } from '../config/app-config.js';
import type { CommandResult } from './command-result.js';

export const OPENAPI_FILE = 'openapi.json';

/**
 * The OpenAPI document the service serves at `/docs-json`, built without a database or a
 * listening server: Nest's preview mode scans the modules and their metadata but instantiates
 * no provider. It uses the default configuration, never the environment, so that it is the
 * same on every machine (no port, host or date in it).
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadAppConfig({ LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, createRootLogger(config)), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The document as committed: two-space JSON and a final newline. */
export const serializeOpenApiDocument = (document: OpenAPIObject): string => `${JSON.stringify(document, null, 2)}\n`;

export async function writeOpenApiDocument(path = OPENAPI_FILE): Promise<CommandResult> {
  await writeFile(path, serializeOpenApiDocument(await generateOpenApiDocument()));
  return { text: `Wrote ${path}`, json: { wrote: path } };
}
