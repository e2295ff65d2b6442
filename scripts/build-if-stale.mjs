// Builds (incrementally) only when a source is newer than the last build: `npm start` and
// `npm run cli` on an unchanged tree start at once instead of type-checking the whole project.
// Stale means: any file or folder under src/ (a folder's time changes when a file is added or
// removed), ormconfig.ts, a tsconfig or package.json changed after dist/.tsbuildinfo was written.
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_INFO = 'dist/.tsbuildinfo';
const SOURCES = ['src', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const built = statSync(BUILD_INFO, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...SOURCES.map(newestChange));
if (built === 0 || changed > built) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // package.json's bin: `portcullis` runs the built CLI directly.
  chmodSync('dist/src/cli.js', 0o755);
  // tsc leaves its build info as it was when nothing needed emitting: mark this check as done.
  const now = new Date();
  utimesSync(BUILD_INFO, now, now);
}
