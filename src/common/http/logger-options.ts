import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../../config/app-config.js';

/**
 * Structured JSON logs; credentials in headers are removed before anything is written.
 * Standard output unless a destination is given (the tests read what would be logged).
 */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'],
      remove: true,
    },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // nestjs-pino's default route, '{/*splat}', matches nothing under @nestjs/platform-fastify 12:
    // without this, no request is logged at all.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
