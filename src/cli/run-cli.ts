import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppModule } from '../app.module.js';
import { databaseFailureReason, isDatabaseUnavailable } from '../common/errors/database-unavailable.js';
import { DomainError } from '../common/errors/domain.error.js';
import { type Environment, InvalidConfigurationError, loadAppConfig, LOG_LEVELS } from '../config/app-config.js';
import { cliDatabase } from './cli-database.js';
import { CliError, EXIT, usageError } from './cli-error.js';
import { CliNestLogger, createCliLogger } from './cli-logging.js';
import type { CommandResult } from './command-result.js';
import { createTenant } from './create-tenant.command.js';
import { migrate } from './migrate.command.js';
import { writeOpenApiDocument } from './openapi-document.js';
import { resetAdmin } from './reset-admin.command.js';
import { rotateKey } from './rotate-key.command.js';
import { readSecret, type SecretInput, type SecretSource } from './secret-input.js';
import { showConfig } from './show-config.command.js';
import { unlock } from './unlock.command.js';
import { isHelpRequest, USAGE } from './usage.js';
import { withdrawKey } from './withdraw-key.command.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where passwords are read from (standard input, its prompts). */
  input: SecretInput;
}

const COMMAND_OPTIONS: Record<string, ParseArgsConfig['options']> = {
  'create-tenant': { 'admin-email': { type: 'string' }, 'admin-password-file': { type: 'string' }, 'admin-password-stdin': { type: 'boolean' } },
  'reset-admin': { 'password-file': { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  unlock: {},
  'rotate-key': {},
  'withdraw-key': {},
  migrate: {},
  config: {},
  openapi: {},
};

/** The password options of each command, by the name that once took the password itself. */
const PASSWORD_OPTIONS: Record<string, { removed: string; file: string; stdin: string; prompt: string }> = {
  'create-tenant': { removed: 'admin-password', file: 'admin-password-file', stdin: 'admin-password-stdin', prompt: 'Password for the admin: ' },
  'reset-admin': { removed: 'password', file: 'password-file', stdin: 'password-stdin', prompt: 'New password (empty: generate one): ' },
};

/**
 * Refuses the options that once took a password on the command line, naming the ways that
 * replace them, and never repeating what was given.
 */
function refuseRemovedPasswordOption(command: string, args: string[]): void {
  const options = PASSWORD_OPTIONS[command];
  if (!options) return;
  const removed = `--${options.removed}`;
  if (!args.some((arg) => arg === removed || arg.startsWith(`${removed}=`))) return;
  throw usageError(
    `${command} no longer takes ${removed}: a password on the command line is seen by every user of the machine (ps) and kept in shell history. ` +
      `Give it with --${options.file} <path>, with --${options.stdin} (piped in), or type it when asked on a terminal.`,
  );
}

const POSITIONALS: Record<string, string[]> = {
  'create-tenant': ['slug', 'name'],
  'reset-admin': ['tenant-slug', 'email'],
  unlock: ['tenant-slug', 'email'],
  'rotate-key': [],
  'withdraw-key': ['kid'],
  migrate: [],
  config: [],
  openapi: [],
};

/** Anywhere on the command line: the result (or the error) as one JSON object. */
const JSON_OPTION = '--json';

/**
 * Runs one operator command against the service's own modules (a Nest application context: no
 * HTTP server) and answers the process exit code (`EXIT`). The result goes to `io.out`, as text
 * or, with `--json`, as one JSON object; an error to `io.err`, its cause first, then what to do,
 * never a stack trace (`LOG_LEVEL=debug` logs that of an unexpected one). Logs go to stderr in
 * the service's format (`createCliLogger`).
 */
export async function runCli(argv: string[], env: Environment, io: CliIo): Promise<number> {
  const json = argv.includes(JSON_OPTION);
  const args = argv.filter((arg) => arg !== JSON_OPTION);
  const logger = createCliLogger(LOG_LEVELS.find((level) => level === env.LOG_LEVEL));
  try {
    const result = await runCommand(args, env, io, logger);
    io.out(json ? JSON.stringify(result.json) : result.text);
    return EXIT.ok;
  } catch (error) {
    const failure = asCliError(error);
    if (failure.code === 'unexpected') logger.debug({ err: error }, 'The unexpected failure');
    io.err(json ? JSON.stringify({ error: failure.code, message: failure.message, fix: failure.fix, exitCode: failure.exitCode }) : describe(failure));
    return failure.exitCode;
  }
}

/** The error for a person: its cause, then what to do (for a wrong command line, the usage). */
function describe(failure: CliError): string {
  if (failure.exitCode === EXIT.usage) return `${failure.message}\n\n${USAGE}`;
  return failure.fix === undefined ? failure.message : `${failure.message}\n${failure.fix}`;
}

/** What went wrong, said as the operator needs it: the cause first, the fix, the exit code. */
function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof InvalidConfigurationError) {
    return new CliError(error.message, { exitCode: EXIT.environment, code: 'invalid_configuration', fix: 'Correct it in the environment (or .env) and run the command again.' });
  }
  if (error instanceof DomainError && error.code !== 'service_unavailable') {
    const details = error.details.messages?.length ? `: ${error.details.messages.join('; ')}` : '';
    return new CliError(`${error.message}${details} (${error.code})`, { code: error.code });
  }
  if (isDatabaseUnavailable(error) || (error instanceof DomainError && error.code === 'service_unavailable')) {
    return new CliError(`The database cannot be reached: ${databaseFailureReason(error)}`, {
      exitCode: EXIT.environment,
      code: 'database_unavailable',
      fix: 'Check that PostgreSQL runs and that DATABASE_URL points at it (unset: the embedded one under DATA_DIR), then run the command again.',
    });
  }
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined && (sqlState.startsWith('28') || sqlState === '3D000')) {
    return new CliError(`The database refused the connection: ${databaseFailureReason(error)}`, {
      exitCode: EXIT.environment,
      code: 'database_refused',
      fix: 'Check the user, password and database name in DATABASE_URL, then run the command again.',
    });
  }
  return new CliError(`Failed: ${error instanceof Error ? error.message : String(error)}`, {
    exitCode: EXIT.environment,
    code: 'unexpected',
    fix: 'This is unexpected. Run the command again with LOG_LEVEL=debug to see where it happened.',
  });
}

/** The SQLSTATE of a PostgreSQL error, wrapped or not. */
function sqlStateOf(error: unknown): string | undefined {
  for (let link = error, depth = 0; typeof link === 'object' && link !== null && depth < 5; depth++) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    link = (link as { driverError?: unknown }).driverError ?? (link as { cause?: unknown }).cause;
  }
  return undefined;
}

async function runCommand(args: string[], env: Environment, io: CliIo, logger: Logger): Promise<CommandResult> {
  const [command, ...rest] = args;
  if (command === undefined) throw usageError('No command given.');
  if (isHelpRequest(args)) return { text: USAGE, json: { usage: USAGE } };
  const options = COMMAND_OPTIONS[command];
  const names = POSITIONALS[command];
  if (options === undefined || names === undefined) throw usageError(`Unknown command "${command}".`);
  refuseRemovedPasswordOption(command, rest);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  if (parsed.positionals.length !== names.length) {
    throw usageError(`${command} takes ${names.length === 0 ? 'no arguments' : names.map((name) => `<${name}>`).join(' ')}.`);
  }
  const value = (name: string): string | undefined => {
    const raw = parsed.values[name];
    return typeof raw === 'string' ? raw : undefined;
  };
  const required = (name: string): string => {
    const raw = value(name);
    if (raw === undefined) throw usageError(`${command} needs --${name}.`);
    return raw;
  };
  const [first = '', second = ''] = parsed.positionals;

  if (command === 'openapi') return writeOpenApiDocument();
  const config = loadAppConfig(env);
  if (command === 'config') return showConfig(config);
  const adminEmail = command === 'create-tenant' ? required('admin-email') : '';
  const password = await passwordOf(command, parsed.values, io.input);

  const database = await cliDatabase(config.database, logger);
  try {
    const context = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, database: { ...config.database, url: database.url } }, logger), {
      logger: new CliNestLogger(logger),
      // Throw, rather than exit the process, when the context cannot start: the error is reported as any other.
      abortOnError: false,
    });
    try {
      return await run(context, command, { first, second, adminEmail, password });
    } finally {
      await context.close();
    }
  } finally {
    await database.release();
  }
}

/**
 * The password a command was given: from the file or standard input its options name, else typed
 * at the terminal's prompt. `create-tenant` cannot go without one; `reset-admin` generates one
 * when none is given (an empty answer at the prompt, or no terminal).
 */
async function passwordOf(command: string, values: Record<string, unknown>, input: SecretInput): Promise<string | undefined> {
  const options = PASSWORD_OPTIONS[command];
  if (!options) return undefined;
  const file = values[options.file];
  const source: SecretSource = { file: typeof file === 'string' ? file : undefined, stdin: values[options.stdin] === true };
  if (source.file !== undefined && source.stdin) throw usageError(`${command} takes --${options.file} or --${options.stdin}, not both.`);
  const password = await readSecret('password', source, input, { confirm: true, prompt: options.prompt });
  if (command === 'reset-admin') return password === '' ? undefined : password;
  if (password === undefined || password === '') {
    throw usageError(`${command} needs the admin's password: --${options.file} <path>, --${options.stdin}, or run it on a terminal to be asked.`);
  }
  return password;
}

interface Arguments {
  first: string;
  second: string;
  adminEmail: string;
  password?: string;
}

function run(context: INestApplicationContext, command: string, args: Arguments): Promise<CommandResult> {
  switch (command) {
    case 'create-tenant':
      return createTenant(context, { slug: args.first, name: args.second, adminEmail: args.adminEmail, adminPassword: args.password ?? '' });
    case 'reset-admin':
      return resetAdmin(context, args.first, args.second, args.password);
    case 'unlock':
      return unlock(context, args.first, args.second);
    case 'rotate-key':
      return rotateKey(context);
    case 'withdraw-key':
      return withdrawKey(context, args.first);
    case 'migrate':
      return migrate(context);
    default:
      throw usageError(`Unknown command "${command}".`);
  }
}
