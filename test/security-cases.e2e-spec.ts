import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Jest runs from the repository's root (rootDir).
const ROOT = process.cwd();

describe('test/SECURITY-CASES.md', () => {
  const rows = readFileSync(join(ROOT, 'test/SECURITY-CASES.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| case') && !line.startsWith('|---'));

  it('lists the cases', () => {
    expect(rows.length).toBeGreaterThan(50);
  });

  it('names, on every row, a test that exists', () => {
    const missing: string[] = [];
    for (const row of rows) {
      const match = /`([^`]+\.(?:e2e-spec|spec)\.ts)` › `([^`]+)`/.exec(row);
      if (!match) {
        missing.push(`no test named: ${row}`);
        continue;
      }
      const [, file, title] = match;
      const path = join(ROOT, file);
      if (!existsSync(path)) missing.push(`no file ${file}`);
      else if (!readFileSync(path, 'utf8').includes(`'${title}`)) missing.push(`no test "${title}" in ${file}`);
    }
    expect(missing).toEqual([]);
  });
});
