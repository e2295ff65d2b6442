/**
 * The process exit codes of the CLI (README, "The operator CLI"): a script can tell a request
 * that was refused, and would be again, from one that could not run and may once the
 * environment is put right.
 */
export const EXIT = {
  ok: 0,
  /** The command ran and was refused: a conflict, an unknown tenant or user, an invalid value. */
  refused: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** It could not do its work: an invalid configuration, a database that cannot be reached or started, an unexpected failure. */
  environment: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliErrorOptions {
  exitCode?: ExitCode;
  /** A short name for scripts (`--json`): `usage`, `not_found`, `invalid_input`, `database_unavailable`... */
  code?: string;
  /** What the operator can do about it, when the cause alone does not say. */
  fix?: string;
}

/**
 * A command that cannot run as asked: `message` is its cause, for the operator, in a sentence
 * that leads with it; `fix` what to do. The process exits with `exitCode`.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  readonly fix?: string;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.refused;
    this.code = options.code ?? (this.exitCode === EXIT.usage ? 'usage' : this.exitCode === EXIT.environment ? 'environment' : 'refused');
    this.fix = options.fix;
  }
}

/** A wrong command line: exit code 2, the usage shown after the cause. */
export const usageError = (message: string): CliError => new CliError(message, { exitCode: EXIT.usage });
