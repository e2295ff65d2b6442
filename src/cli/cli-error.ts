/** A command that cannot run as asked: its message is for the operator, and the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const EXIT = {
  ok: 0,
  /** The command ran and was refused or failed (a conflict, an unknown tenant, an unreachable database). */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
} as const;
