import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppModule } from '../app.module.js';
import { DomainError } from '../common/errors/domain.error.js';
import { PinoNestLogger } from '../common/logging/pino-nest-logger.js';
import { createRootLogger } from '../common/logging/root-logger.js';
import { type Environment, InvalidConfigurationError, loadAppConfig } from '../config/app-config.js';
import { CliError, EXIT } from './cli-error.js';
import { createTenant } from './create-tenant.command.js';
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
  throw new CliError(
    `${command} no longer takes ${removed}: a password on the command line is seen by every user of the machine (ps) and kept in shell history. ` +
      `Give it with --${options.file} <path>, with --${options.stdin} (piped in), or type it when asked on a terminal.`,
    EXIT.usage,
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

/**
 * Runs one operator command against the service's own modules (a Nest application context: no
 * HTTP server) and answers the process exit code. Logs go to stderr; results to `io.out`.
 */
export async function runCli(argv: string[], env: Environment, io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || isHelpRequest(argv)) {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  try {
    const options = COMMAND_OPTIONS[command];
    const names = POSITIONALS[command];
    if (options === undefined || names === undefined) throw new CliError(`Unknown command "${command}"\n\n${USAGE}`, EXIT.usage);
    refuseRemovedPasswordOption(command, rest);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${(error as Error).message}\n\n${USAGE}`, EXIT.usage);
    }
    if (parsed.positionals.length !== names.length) {
      throw new CliError(`${command} takes ${names.length === 0 ? 'no arguments' : names.map((name) => `<${name}>`).join(' ')}\n\n${USAGE}`, EXIT.usage);
    }
    const value = (name: string): string | undefined => {
      const raw = parsed.values[name];
      return typeof raw === 'string' ? raw : undefined;
    };
    const required = (name: string): string => {
      const raw = value(name);
      if (raw === undefined) throw new CliError(`${command} needs --${name}\n\n${USAGE}`, EXIT.usage);
      return raw;
    };
    const [first = '', second = ''] = parsed.positionals;

    if (command === 'openapi') {
      io.out(await writeOpenApiDocument());
      return EXIT.ok;
    }
    const config = loadAppConfig(env);
    if (command === 'config') {
      io.out(showConfig(config));
      return EXIT.ok;
    }
    const adminEmail = command === 'create-tenant' ? required('admin-email') : '';
    const password = await passwordOf(command, parsed.values, io.input);

    // Logs (the migrations' included) go to stderr at warn, so that stdout holds only the result.
    const rootLogger = createRootLogger({ logLevel: config.logLevel === 'silent' ? 'silent' : 'warn' }, pino.destination(2));
    const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, rootLogger), { bufferLogs: true });
    context.useLogger(new PinoNestLogger(rootLogger));
    try {
      io.out(await run(context, command, { first, second, adminEmail, password }));
    } finally {
      await context.close();
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    if (error instanceof InvalidConfigurationError) {
      io.err(error.message);
      return EXIT.failure;
    }
    if (error instanceof DomainError) {
      io.err(`Refused (${error.code}): ${error.message}`);
      return EXIT.failure;
    }
    io.err(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failure;
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
  if (source.file !== undefined && source.stdin) throw new CliError(`${command} takes --${options.file} or --${options.stdin}, not both`, EXIT.usage);
  const password = await readSecret('password', source, input, { confirm: true, prompt: options.prompt });
  if (command === 'reset-admin') return password === '' ? undefined : password;
  if (password === undefined || password === '') {
    throw new CliError(`${command} needs the admin's password: --${options.file} <path>, --${options.stdin}, or run it on a terminal to be asked\n\n${USAGE}`, EXIT.usage);
  }
  return password;
}

interface Arguments {
  first: string;
  second: string;
  adminEmail: string;
  password?: string;
}

function run(context: INestApplicationContext, command: string, args: Arguments): Promise<string> {
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
      // The database module brings the schema up to date (under its advisory lock) as the context starts.
      return Promise.resolve('Migrations are up to date');
    default:
      throw new CliError(`Unknown command "${command}"`, EXIT.usage);
  }
}
