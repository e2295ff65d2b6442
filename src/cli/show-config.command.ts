import type { AppConfig } from '../config/app-config.js';
import type { CommandResult } from './command-result.js';

const HIDDEN = '***';

/**
 * Query parameters of a connection URL hidden in the output: every name that says it holds a
 * credential (`password`, `sslpassword`, a `*_secret`, an `api_token`...) or where one is kept
 * (`sslkey`, `passfile`). Naming a file is not a secret in itself, but some drivers take the key
 * inline there, and a printout pasted into a ticket should not say where the keys are either: the
 * operator who needs the value has the environment.
 */
const CREDENTIAL_PARAMETER = /pass|secret|token|key|credential|auth/i;

/** The effective configuration, with every secret replaced by `***` (as indented JSON for a person too). */
export function showConfig(config: AppConfig): CommandResult {
  const shown = {
    ...config,
    database: { ...config.database, url: config.database.url === undefined ? undefined : redactUrl(config.database.url) },
    jwt: { ...config.jwt, secret: config.jwt.secret === undefined ? undefined : HIDDEN },
    bootstrapAdmin: { ...config.bootstrapAdmin, password: config.bootstrapAdmin.password === undefined ? undefined : HIDDEN },
  };
  return { text: JSON.stringify(shown, null, 2), json: shown };
}

/** `url` with the password of its user-info and the value of every credential parameter replaced by `***`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not parsable (the configuration checks only the scheme): show nothing of it rather than a secret.
    return HIDDEN;
  }
  if (parsed.password !== '') parsed.password = HIDDEN;
  for (const name of new Set(parsed.searchParams.keys())) {
    if (CREDENTIAL_PARAMETER.test(name)) parsed.searchParams.set(name, HIDDEN);
  }
  // A fragment means nothing to a connection string, and may carry anything.
  if (parsed.hash !== '') parsed.hash = HIDDEN;
  return parsed.toString();
}
