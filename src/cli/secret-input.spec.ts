import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { CliError } from './cli-error.js';
import { readSecret, type SecretInput } from './secret-input.js';

/** A terminal stand-in: keystrokes are written in when a prompt appears; what is shown is collected. */
function terminal(answers: string[]): { input: SecretInput; shown: () => string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let shown = '';
  const prompts = new Writable({
    write(chunk: Buffer, _encoding, done) {
      shown += chunk.toString();
      // The operator types only once asked, a key at a time as on a real terminal.
      if (/: $/.test(chunk.toString())) {
        const answer = answers.shift();
        if (answer !== undefined) setImmediate(() => [...answer].forEach((key) => stdin.write(key)));
      }
      done();
    },
  });
  return { input: { stdin, prompts }, shown: () => shown };
}

const piped = (text: string): SecretInput => ({ stdin: Readable.from([Buffer.from(text)]), prompts: new PassThrough() });
const options = { confirm: true, prompt: 'Password: ' };

describe(readSecret.name, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-secret-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('asks twice on a terminal and shows the prompts only, never what is typed', async () => {
    const sut = terminal(['typed-secret-123\r', 'typed-secret-123\r']);
    await expect(readSecret('password', { stdin: false }, sut.input, options)).resolves.toBe('typed-secret-123');
    expect(sut.shown()).toBe('Password: \nType it again: \n');
  });

  it('refuses two different answers on a terminal', async () => {
    const sut = terminal(['typed-secret-123\r', 'typed-secret-124\r']);
    await expect(readSecret('password', { stdin: false }, sut.input, options)).rejects.toThrow(new CliError('The two passwords differ'));
    expect(sut.shown()).not.toContain('typed-secret');
  });

  it('answers an empty line at once, unconfirmed (the command decides what it means)', async () => {
    const sut = terminal(['\r']);
    await expect(readSecret('password', { stdin: false }, sut.input, options)).resolves.toBe('');
  });

  it('cancels on Ctrl-C', async () => {
    const sut = terminal(['typed\u0003']);
    await expect(readSecret('password', { stdin: false }, sut.input, options)).rejects.toThrow(new CliError('Cancelled'));
  });

  it('reads a file without its final line break, and refuses one of more lines or none', async () => {
    const file = join(dir, 'password');
    await writeFile(file, 'from-a-file-123\r\n');
    await expect(readSecret('password', { file, stdin: false }, piped(''), options)).resolves.toBe('from-a-file-123');
    await writeFile(file, 'line-one\nline-two\n');
    await expect(readSecret('password', { file, stdin: false }, piped(''), options)).rejects.toThrow(`The password in the file ${file} must be one line`);
    await writeFile(file, '\n');
    await expect(readSecret('password', { file, stdin: false }, piped(''), options)).rejects.toThrow(`No password in the file ${file}`);
    await expect(readSecret('password', { file: join(dir, 'missing'), stdin: false }, piped(''), options)).rejects.toThrow('ENOENT');
  });

  it('reads standard input to its end, without its final line break', async () => {
    await expect(readSecret('password', { stdin: true }, piped('from-stdin-123\n'), options)).resolves.toBe('from-stdin-123');
  });

  it('answers nothing when no source is named and standard input is not a terminal', async () => {
    await expect(readSecret('password', { stdin: false }, piped('ignored\n'), options)).resolves.toBeUndefined();
  });
});
