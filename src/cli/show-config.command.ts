import type { AppConfig } from '../config/app-config.js';

const HIDDEN = '***';

/** The effective configuration, as JSON, with every secret replaced by `***`. */
export function showConfig(config: AppConfig): string {
  const shown = {
    ...config,
    database: { ...config.database, url: config.database.url === undefined ? undefined : withoutPassword(config.database.url) },
    jwt: { ...config.jwt, secret: config.jwt.secret === undefined ? undefined : HIDDEN },
    bootstrapAdmin: { ...config.bootstrapAdmin, password: config.bootstrapAdmin.password === undefined ? undefined : HIDDEN },
  };
  return JSON.stringify(shown, null, 2);
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = HIDDEN;
    return parsed.toString();
  } catch {
    // Not parsable (the configuration checks only the scheme): show nothing of it rather than a secret.
    return HIDDEN;
  }
}
