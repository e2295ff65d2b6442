/** The CLI's usage text: its own module, so that `--help` answers without loading the application. */
export const USAGE = `Usage: portcullis <command> [--json]   (or: npm run -s cli -- <command> [--json])

Commands:
  create-tenant <slug> <name> --admin-email <email> [--admin-password-file <path> | --admin-password-stdin]
                                                              a tenant and its first admin, whose password is read from the
                                                              file, from standard input, or else asked for on the terminal
  reset-admin <tenant-slug> <email> [--password-file <path> | --password-stdin]
                                                              create or reset an admin; without a file or standard input it
                                                              asks on a terminal (empty: generate one), and elsewhere prints
                                                              a generated password once
  unlock <tenant-slug> <email>                                lift a sign-in lockout
  rotate-key                                                  make a new signing key current
  withdraw-key <kid>                                          delete a signing key: its tokens stop verifying (a current key is replaced first)
  migrate                                                     run pending database migrations
  config                                                      print the effective configuration, secrets hidden
  openapi                                                     write openapi.json (what npm run openapi runs)

--json: the result as one JSON object on stdout; an error as one on stderr.
Exit codes: 0 done, 1 refused (a conflict, an unknown tenant or user, an invalid value),
2 a wrong command line, 3 could not run (the configuration, the database, an unexpected failure).

Passwords are never taken on the command line, where every user of the machine sees them (ps).
The configuration is read from the environment (and .env), as the service reads it. Without
DATABASE_URL, a command uses the embedded PostgreSQL of the instance running on DATA_DIR, or
starts it for itself when none runs.`;

/** `help`, `--help` or `-h` as the command. */
export const isHelpRequest = (argv: readonly string[]): boolean => ['help', '--help', '-h'].includes(argv[0] ?? '');
