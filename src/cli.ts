#!/usr/bin/env node
import 'reflect-metadata';
import { isHelpRequest, USAGE } from './cli/usage.js';

/** The operator CLI: `portcullis <command>` or `npm run cli -- <command>` (see `runCli` for the commands). */
const argv = process.argv.slice(2);
if (isHelpRequest(argv)) {
  // Answered before the application's modules load: help is instant.
  process.stdout.write(`${argv.includes('--json') ? JSON.stringify({ usage: USAGE }) : USAGE}\n`);
  process.exit(0);
}
const { runCli } = await import('./cli/run-cli.js');
const { readProcessEnvironment } = await import('./config/app-config.js');
const exitCode = await runCli(argv, readProcessEnvironment(), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  input: { stdin: process.stdin, prompts: process.stderr },
});
process.exit(exitCode);
