import ts from 'typescript';

/** A test or a describe block as Jest would collect it from a spec file, read from its syntax tree. */
export interface TestTitle {
  /** The title as written: the text of the first argument (`%s` and friends left as they are). */
  title: string;
  kind: 'test' | 'describe';
  /**
   * Whether Jest would run it: not skipped (`.skip`, `x…`), not a todo, not inside a skipped
   * describe, not left out by a focused (`.only`, `f…`) one; a describe, when one of its tests runs.
   */
  runs: boolean;
  /** 1-based line of the call. */
  line: number;
}

const TESTS = new Set(['it', 'test', 'xit', 'xtest', 'fit']);
const DESCRIBES = new Set(['describe', 'xdescribe', 'fdescribe']);

interface Callee {
  base: string;
  modifiers: string[];
}

/** `it`, `it.skip`, `describe.only`, `test.concurrent.skip`…: the identifier and the names chained to it. */
function chainOf(expression: ts.Expression): Callee | undefined {
  if (ts.isIdentifier(expression)) return { base: expression.text, modifiers: [] };
  if (ts.isPropertyAccessExpression(expression)) {
    const inner = chainOf(expression.expression);
    return inner && { base: inner.base, modifiers: [...inner.modifiers, expression.name.text] };
  }
  return undefined;
}

/**
 * The callee of a call that names a test or a describe: `it(…)`, `it.skip(…)`, and the second
 * call of `it.each([...])(…)` or of the tagged-template form `it.each\`…\`(…)`.
 */
function calleeOf(call: ts.CallExpression): Callee | undefined {
  const callee = call.expression;
  const table = ts.isCallExpression(callee) ? callee.expression : ts.isTaggedTemplateExpression(callee) ? callee.tag : undefined;
  const chain = table ? chainOf(table) : chainOf(callee);
  if (!chain || !(TESTS.has(chain.base) || DESCRIBES.has(chain.base))) return undefined;
  const eachCall = chain.modifiers.at(-1) === 'each';
  if (table !== undefined && !eachCall) return undefined;
  if (table === undefined && eachCall) return undefined; // `it.each(table)` itself: its result names the test
  return { base: chain.base, modifiers: table ? chain.modifiers.slice(0, -1) : chain.modifiers };
}

/** The title as written in the file; `X.name` (a class's name, STYLE.md's describe) reads as `X`. */
function titleOf(argument: ts.Expression | undefined, source: ts.SourceFile): string | undefined {
  if (!argument) return undefined;
  if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) return argument.text;
  if (ts.isTemplateExpression(argument)) return argument.getText(source).slice(1, -1);
  if (ts.isPropertyAccessExpression(argument) && argument.name.text === 'name' && ts.isIdentifier(argument.expression)) return argument.expression.text;
  return undefined;
}

interface Node {
  title: string;
  kind: 'test' | 'describe';
  skipped: boolean;
  focused: boolean;
  line: number;
  children: Node[];
}

/** Every test and describe block of a spec file's source, in order, with whether Jest would run it. */
export function testTitles(sourceText: string, fileName = 'spec.ts'): TestTitle[] {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const roots: Node[] = [];

  const visit = (node: ts.Node, parent: Node | undefined): void => {
    if (ts.isCallExpression(node)) {
      const callee = calleeOf(node);
      const title = callee && titleOf(node.arguments[0], source);
      if (callee && title !== undefined) {
        const own: Node = {
          title,
          kind: DESCRIBES.has(callee.base) ? 'describe' : 'test',
          skipped: (parent?.skipped ?? false) || callee.base.startsWith('x') || callee.modifiers.includes('skip') || callee.modifiers.includes('todo'),
          focused: (parent?.focused ?? false) || callee.base.startsWith('f') || callee.modifiers.includes('only'),
          line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
          children: [],
        };
        (parent ? parent.children : roots).push(own);
        ts.forEachChild(node, (child) => visit(child, own));
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, parent));
  };
  visit(source, undefined);

  const all: Node[] = [];
  const flatten = (nodes: Node[]): void => {
    for (const node of nodes) {
      all.push(node);
      flatten(node.children);
    }
  };
  flatten(roots);

  // With a focused test or describe anywhere in the file, Jest runs only the focused ones (and
  // what they hold). A describe runs when one of its tests does.
  const focusInFile = all.some((node) => node.focused && !node.skipped);
  const runs = (node: Node): boolean => {
    if (node.skipped) return false;
    if (node.kind === 'describe') return node.children.some(runs);
    return !focusInFile || node.focused;
  };
  return all.map((node) => ({ title: node.title, kind: node.kind, runs: runs(node), line: node.line }));
}
