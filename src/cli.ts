import 'reflect-metadata';
import { runCli } from './cli/run-cli.js';
import { readProcessEnvironment } from './config/app-config.js';

/** The operator CLI: `npm run cli -- <command>` (see `runCli` for the commands). */
const exitCode = await runCli(process.argv.slice(2), readProcessEnvironment(), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  input: { stdin: process.stdin, prompts: process.stderr },
});
process.exit(exitCode);
