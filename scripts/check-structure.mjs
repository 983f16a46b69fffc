#!/usr/bin/env node
// Checks the shape rules a newcomer relies on (docs/architecture.md, "Keeping the code easy to carry on"):
//  - no function longer than 80 lines, unless its file's header declares it a test-case catalogue
//    ("Test-case catalogue:" followed by why), whose register functions are lists of cases;
//  - no file longer than 500 lines, unless its header says why ("Long file:" followed by the reason);
//  - no import cycle among a package's files, type-only imports included.
// Source is every tracked .ts/.tsx/.mts/.js/.mjs file except tests (*.test.*, *.test-support.*,
// test-support/ folders), fixtures, declarations and build output.
//
// Usage: node scripts/check-structure.mjs [--root DIR]
// Prints one line per violation and exits 1 when there is any, 0 when there is none, 2 on bad usage.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import ts from 'typescript';

export const FUNCTION_LINE_LIMIT = 80;
export const FILE_LINE_LIMIT = 500;
const HEADER_LINES = 30;
const CATALOGUE_MARK = /Test-case catalogue:\s*\S/;
const LONG_FILE_MARK = /Long file:\s*\S/;
const SOURCE_EXTENSIONS = /\.(ts|tsx|mts|js|mjs)$/;
const NOT_SOURCE =
  /(\.test\.|\.test-support\.|(^|\/)test-support\/|(^|\/)fixtures\/|\.d\.ts$|(^|\/)dist\/|(^|\/)node_modules\/)/;

/** Lists the source files of the tree at `root` that git tracks or would track. */
export function sourceFiles(root) {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((file) => SOURCE_EXTENSIONS.test(file) && !NOT_SOURCE.test(file))
    .filter((file) => existsSync(path.join(root, file)))
    .sort();
}

function header(text) {
  return text.split('\n', HEADER_LINES).join('\n');
}

/** A file's syntax tree, read once for both checks. */
function parse(fileName, text) {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
}

/** The functions of a parsed file longer than the limit, as `{ name, line, lines }`. */
export function longFunctions(source, limit = FUNCTION_LINE_LIMIT) {
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) found.push({ name: functionName(node, source), line: first + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function functionName(node, source) {
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if (parent !== undefined && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent !== undefined && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return '(anonymous function)';
}

/** The relative module specifiers a parsed file imports or re-exports, type-only ones included. */
export function relativeImports(source) {
  const specifiers = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) specifiers.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

function resolveRelative(fromFile, specifier, known) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const stem = base.replace(/\.(js|mjs|ts|mts)$/, '');
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.js`,
    `${stem}.mjs`,
    `${base}/index.ts`,
    `${base}/index.js`,
  ];
  return candidates.find((candidate) => known.has(candidate));
}

/** The import cycles of an import graph (file → files it imports), each its files sorted, by Tarjan's algorithm. */
export function importCycles(edges) {
  const index = new Map();
  const lowLink = new Map();
  const onStack = new Set();
  const stack = [];
  const cycles = [];
  let counter = 0;
  const connect = (start) => {
    // Iterative, so that a long chain of imports cannot overflow the call stack.
    const work = [{ node: start, next: 0 }];
    index.set(start, counter);
    lowLink.set(start, counter);
    counter += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next];
        frame.next += 1;
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node), index.get(target)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        lowLink.set(parent.node, Math.min(lowLink.get(parent.node), lowLink.get(frame.node)));
      }
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (edges.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  };
  for (const node of [...edges.keys()].sort()) {
    if (!index.has(node)) connect(node);
  }
  return cycles;
}

/** Every violation in the tree at `root`, as one line each. */
export function checkStructure(root) {
  const files = sourceFiles(root);
  const known = new Set(files);
  const problems = [];
  const edges = new Map();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const top = header(text);
    const source = parse(file, text);
    const lineCount = source.getLineStarts().length - (text.endsWith('\n') ? 1 : 0);
    if (lineCount > FILE_LINE_LIMIT && !LONG_FILE_MARK.test(top) && !CATALOGUE_MARK.test(top)) {
      problems.push(
        `${file}: ${lineCount} lines, over ${FILE_LINE_LIMIT}; split it, or say why in its header ("Long file: ...")`,
      );
    }
    if (!CATALOGUE_MARK.test(top)) {
      for (const found of longFunctions(source)) {
        problems.push(
          `${file}:${found.line}: function ${found.name} is ${found.lines} lines, over ${FUNCTION_LINE_LIMIT}`,
        );
      }
    }
    const targets = [];
    for (const specifier of relativeImports(source)) {
      const target = resolveRelative(file, specifier, known);
      if (target !== undefined && !targets.includes(target)) targets.push(target);
    }
    edges.set(file, targets);
  }
  for (const cycle of importCycles(edges)) {
    problems.push(`import cycle: ${cycle.join(' <-> ')}`);
  }
  return problems;
}

function main(argv) {
  let root = process.cwd();
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--root' && argv[i + 1] !== undefined) {
      root = path.resolve(argv[i + 1]);
      i += 1;
    } else {
      process.stderr.write(
        `check-structure: unknown argument ${argv[i]}; usage: check-structure.mjs [--root DIR]\n`,
      );
      return 2;
    }
  }
  const problems = checkStructure(root);
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  if (problems.length > 0) {
    process.stderr.write(`check-structure: ${problems.length} problem(s)\n`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = main(process.argv.slice(2));
}
