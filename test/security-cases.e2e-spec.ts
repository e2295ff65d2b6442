import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestTitle, testTitles } from './support/test-titles.js';

// Jest runs from the repository's root (rootDir).
const ROOT = process.cwd();

/**
 * The cases the list held when this floor was last raised. Raise it when you add a row; a row
 * may leave only with its case, and then this number says so in the same diff.
 */
const LISTED_CASES = 108;

interface Row {
  text: string;
  file: string;
  title: string;
}

/** `` `file` › `title` `` on a table row, or undefined when the row names no test in that form. */
function namedTest(row: string): Row | undefined {
  const match = /`([^`]+\.(?:e2e-spec|medium-spec|spec)\.ts)` › `([^`]+)`/.exec(row);
  return match ? { text: row, file: match[1], title: match[2] } : undefined;
}

/** What is wrong with a row's named test: nothing (undefined), or a line for the failure message. */
function problemWith(row: Row, titlesOf: (file: string) => TestTitle[] | undefined): string | undefined {
  const titles = titlesOf(row.file);
  if (!titles) return `no file ${row.file}`;
  const exact = titles.filter((test) => test.title === row.title);
  if (exact.length === 0) {
    const longer = titles.filter((test) => test.title.startsWith(row.title)).map((test) => `"${test.title}"`);
    return `no test titled exactly "${row.title}" in ${row.file}${longer.length > 0 ? ` (did you mean ${longer.join(' or ')}?)` : ''}`;
  }
  const notRun = exact.filter((test) => !test.runs);
  if (notRun.length > 0) return `"${row.title}" in ${row.file} does not run (skipped, todo, in a skipped describe, left out by a focused one, or a describe without a running test): line ${notRun.map((test) => test.line).join(', ')}`;
  return undefined;
}

describe('test/SECURITY-CASES.md', () => {
  const rows = readFileSync(join(ROOT, 'test/SECURITY-CASES.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| case') && !line.startsWith('|---'));

  const cache = new Map<string, TestTitle[] | undefined>();
  const titlesOf = (file: string): TestTitle[] | undefined => {
    if (!cache.has(file)) {
      const path = join(ROOT, file);
      cache.set(file, existsSync(path) ? testTitles(readFileSync(path, 'utf8'), path) : undefined);
    }
    return cache.get(file);
  };

  it('lists at least the cases it listed, each naming one test as `file` › `title`', () => {
    expect(rows.filter((row) => !namedTest(row))).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(LISTED_CASES);
  });

  it('names, on every row, a test that exists under exactly that title and runs', () => {
    const problems = rows
      .map(namedTest)
      .filter((row) => row !== undefined)
      .map((row) => problemWith(row, titlesOf))
      .filter((problem) => problem !== undefined);
    expect(problems).toEqual([]);
  });
});

describe(testTitles.name, () => {
  const sut = testTitles;
  const titles = (source: string) => sut(source).map(({ title, kind, runs }) => ({ title, kind, runs }));

  it('reads titles in single, double and backtick quotes, escapes undone', () => {
    const source = `
      it('single', () => {});
      it("double \\"quoted\\"", () => {});
      test(\`backtick\`, () => {});
      it('it\\'s', () => {});`;
    expect(titles(source).map((test) => test.title)).toEqual(['single', 'double "quoted"', 'backtick', "it's"]);
  });

  it('reads the title of it.each, test.each and describe.each, with an array or a template table', () => {
    const source = `
      describe.each([['a'], ['b']])('JWT_ALG=%s', (alg) => {
        it.each([
          ['x', 1],
          ['y', 2],
        ])('refuses %s', () => {});
        test.each\`
          a    | b
          \${1} | \${2}
        \`('adds $a and $b', () => {});
      });`;
    expect(titles(source)).toEqual([
      { title: 'JWT_ALG=%s', kind: 'describe', runs: true },
      { title: 'refuses %s', kind: 'test', runs: true },
      { title: 'adds $a and $b', kind: 'test', runs: true },
    ]);
  });

  it('reads describe(X.name) as the class name', () => {
    expect(titles('describe(LoginLockout.name, () => { it("locks", () => {}); });')[0]).toEqual({ title: 'LoginLockout', kind: 'describe', runs: true });
  });

  it('sees skipped tests: it.skip, xit, test.skip, xtest, it.todo, it.skip.each, and everything in describe.skip or xdescribe', () => {
    const source = `
      it.skip('a', () => {});
      xit('b', () => {});
      test.skip('c', () => {});
      xtest('d', () => {});
      it.todo('e');
      it.skip.each([[1]])('f %s', () => {});
      describe.skip('g', () => { it('h', () => {}); describe('i', () => { it('j', () => {}); }); });
      xdescribe('k', () => { test('l', () => {}); });
      it('runs', () => {});`;
    expect(titles(source).filter((test) => test.runs).map((test) => test.title)).toEqual(['runs']);
  });

  it('sees what a focused test leaves out of its file', () => {
    const source = `
      describe('outer', () => {
        it.only('focused', () => {});
        it('left out', () => {});
      });
      describe('other', () => { it('left out too', () => {}); });
      fdescribe('focused block', () => { it('runs inside', () => {}); });`;
    expect(titles(source).filter((test) => test.runs).map((test) => test.title)).toEqual(['outer', 'focused', 'focused block', 'runs inside']);
  });

  it('takes a describe whose tests are all skipped for one that does not run', () => {
    expect(titles('describe("empty", () => { it.skip("a", () => {}); });')[0]).toMatchObject({ title: 'empty', runs: false });
  });

  it('does not take other calls for tests: a regular expression’s test(), a comment, a string', () => {
    const source = `
      // it('in a comment', () => {});
      const text = "it('in a string', () => {})";
      if (/x/.test('x')) it('real', () => {});`;
    expect(titles(source).map((test) => test.title)).toEqual(['real']);
  });

  describe('the check of a row', () => {
    const file = 'test/example.e2e-spec.ts';
    const check = (source: string, title: string) => problemWith({ text: '', file, title }, () => sut(source));

    it('passes a row naming a running test by its exact title', () => {
      expect(check("it('answers 503 within 5 s, and recovers', () => {});", 'answers 503 within 5 s, and recovers')).toBeUndefined();
    });

    it('fails a row naming only the start of a title, saying which title it may mean', () => {
      expect(check("it('answers 503 within 5 s, and recovers', () => {});", 'answers 503 within 5 s')).toBe(
        `no test titled exactly "answers 503 within 5 s" in ${file} (did you mean "answers 503 within 5 s, and recovers"?)`,
      );
    });

    it('fails a row naming a renamed test', () => {
      expect(check("it('answers 503 within 10 s', () => {});", 'answers 503 within 5 s')).toMatch(/^no test titled exactly/);
    });

    it.each([
      ["it.skip('locks', () => {});"],
      ["describe.skip('lockout', () => { it('locks', () => {}); });"],
      ["it.todo('locks');"],
      ["it('locks', () => {}); it.only('another', () => {});"],
    ])('fails a row naming a test that does not run: %s', (source) => {
      expect(check(source, 'locks')).toMatch(/does not run/);
    });

    it('fails a row naming a file that is not there', () => {
      expect(problemWith({ text: '', file: 'test/gone.e2e-spec.ts', title: 'x' }, () => undefined)).toBe('no file test/gone.e2e-spec.ts');
    });
  });
});
