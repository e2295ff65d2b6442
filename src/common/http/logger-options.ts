import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config.js';

/** Structured JSON logs; credentials in headers are removed before anything is written. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'],
        remove: true,
      },
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    },
  };
}
