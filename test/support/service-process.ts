import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const READY_WITHIN_MS = 60_000;

/**
 * Compiles the service (as `npm run build` does, without type checking: `npm test` runs the
 * type check) into a folder of its own, with `node_modules` linked beside it so that its imports
 * resolve. Answers the path of its `main.js`, and a function removing the folder.
 */
export async function buildService(): Promise<{ main: string; remove: () => Promise<void> }> {
  const outDir = await mkdtemp(join(tmpdir(), 'portcullis-build-'));
  await promisify(execFile)(process.execPath, [join(REPOSITORY, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir, '--noCheck'], {
    cwd: REPOSITORY,
  });
  await symlink(join(REPOSITORY, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return { main: join(outDir, 'src/main.js'), remove: () => rm(outDir, { recursive: true, force: true }) };
}

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** Settles when it exits: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built service as a process of its own, and waits until `/health` answers 200. */
export async function startService(main: string, environment: Record<string, string>): Promise<ServiceProcess> {
  const service = spawnService(main, environment);
  await untilReady(service);
  return service;
}

/** Runs the built service as a process of its own, without waiting for anything. */
export function spawnService(main: string, environment: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [main], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((settle) => child.once('exit', (code, signal) => settle({ code, signal })));
  return { child, baseUrl: `http://127.0.0.1:${environment.PORT}`, output: () => output, exited };
}

/** Waits until the service's `/health` answers 200; kills it if that takes over a minute. */
export async function untilReady(service: ServiceProcess): Promise<void> {
  let hasExited = false;
  void service.exited.then(() => (hasExited = true));
  const giveUpAt = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (hasExited) throw new Error(`The service exited before it was ready:\n${service.output().slice(-4000)}`);
    const status = await fetch(`${service.baseUrl}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > giveUpAt) {
      service.child.kill('SIGKILL');
      throw new Error(`The service was not ready within ${READY_WITHIN_MS / 1000} s:\n${service.output().slice(-4000)}`);
    }
    await sleep(200);
  }
}

/** The processes whose command line names `clusterDir`: a PostgreSQL server running on it (Linux's /proc). */
export async function serversOn(clusterDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.split('\0').includes(clusterDir)) found.push(Number(entry));
  }
  return found;
}

/** Stops whatever PostgreSQL still runs on `clusterDir` (a service killed with SIGKILL leaves its server behind). */
export async function stopServersOn(clusterDir: string): Promise<void> {
  for (const pid of await serversOn(clusterDir)) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // Gone meanwhile.
    }
  }
  const giveUpAt = Date.now() + 30_000;
  while ((await serversOn(clusterDir)).length > 0 && Date.now() < giveUpAt) await sleep(100);
}
