import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
import { CliError } from './cli-error.js';

/** Where the CLI reads secrets: standard input (a terminal or not), and where a prompt is written. */
export interface SecretInput {
  stdin: Readable & { isTTY?: boolean };
  /** Where prompts go (stderr: stdout holds only the command's result). */
  prompts: Writable;
}

/** How the operator chose to give one secret: a file, standard input, or neither (then the terminal's prompt, if any). */
export interface SecretSource {
  file?: string;
  stdin: boolean;
}

/**
 * A secret read from a file or a pipe, without the one line break that `echo` and editors add
 * after it; more than one line is refused rather than cut, so that the wrong file is not taken
 * for a password.
 */
function oneLine(name: string, text: string, where: string): string {
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new CliError(`No ${name} in ${where}`, { code: 'invalid_input' });
  if (/[\r\n]/.test(secret)) throw new CliError(`The ${name} in ${where} must be one line`, { code: 'invalid_input' });
  return secret;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks one question on the terminal and answers the line typed. */
export type Ask = (question: string) => Promise<string>;

/**
 * Runs `work` with a way to ask for secrets on the terminal without echoing them: Node's
 * readline in terminal mode (raw input, its own line editing) whose echo goes to a sink, so the
 * prompt is all that is written; lines are taken in order, none kept in a history. Ctrl-C or the
 * end of input cancels.
 */
export async function withTerminalPrompt<T>(input: SecretInput, work: (ask: Ask) => Promise<T>): Promise<T> {
  const discardEcho = new Writable({ write: (_chunk, _encoding, done: () => void) => done() });
  const reader = createInterface({ input: input.stdin, output: discardEcho, terminal: true, historySize: 0 });
  let interrupted = false;
  reader.on('SIGINT', () => {
    interrupted = true;
    reader.close();
  });
  const lines = reader[Symbol.asyncIterator]();
  const ask: Ask = async (question) => {
    input.prompts.write(question);
    const line = await lines.next();
    input.prompts.write('\n');
    if (line.done === true) throw new CliError(interrupted ? 'Cancelled' : 'Cancelled: the input ended before a line was typed', { code: 'cancelled' });
    return line.value;
  };
  try {
    return await work(ask);
  } finally {
    reader.close();
  }
}

/**
 * One secret, from where the operator said: a file, standard input (to its end), or (neither given) a prompt when standard input is a terminal. Answers `undefined` when
 * nothing was given and there is no terminal to ask on; the command decides what that means.
 * Never from the command line: what is there is visible to every user of the machine (`ps`).
 */
export async function readSecret(name: string, source: SecretSource, input: SecretInput, options: { confirm: boolean; prompt: string }): Promise<string | undefined> {
  if (source.file !== undefined) {
    let text;
    try {
      text = await readFile(source.file, 'utf8');
    } catch (error) {
      throw new CliError(`Cannot read the ${name} from ${source.file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { code: 'invalid_input' });
    }
    return oneLine(name, text, `the file ${source.file}`);
  }
  if (source.stdin) return oneLine(name, await readAll(input.stdin), 'standard input');
  if (input.stdin.isTTY !== true) return undefined;
  return withTerminalPrompt(input, async (ask) => {
    const typed = await ask(options.prompt);
    if (typed === '' || !options.confirm) return typed;
    if ((await ask('Type it again: ')) !== typed) throw new CliError(`The two ${name}s differ`, { code: 'invalid_input' });
    return typed;
  });
}
