// Every TypeScript block (```ts) of the repository's READMEs, compiled with the workspace's
// compiler options against the packages as built, so that no README can drift from the API. Each
// block is a module of its own: it imports what it uses. An error names the README and its line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const blocksFolder = join(import.meta.dirname, '.readme-blocks');

/** READMEs whose blocks are not compiled, with the reason; the test fails once one has none. */
const NOT_COMPILED: Readonly<Record<string, string>> = {
  'packages/linux-page-tables/README.md':
    'its block continues from a report made elsewhere (`report`); the package is private and was being written while this check landed',
};

interface Block {
  readonly readme: string;
  /** The README's line number of the block's first line of code (1-based). */
  readonly line: number;
  readonly code: string;
}

function readmes(): string[] {
  const found = ['README.md', 'examples/README.md'];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      try {
        readFileSync(join(root, group, name, 'README.md'));
        found.push(`${group}/${name}/README.md`);
      } catch {
        // A folder without a README.
      }
    }
  }
  return found.sort();
}

function blocksOf(readme: string): Block[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const blocks: Block[] = [];
  let start = -1;
  for (const [index, line] of lines.entries()) {
    if (start < 0 && /^```(ts|typescript)\s*$/.test(line)) start = index + 1;
    else if (start >= 0 && /^```\s*$/.test(line)) {
      blocks.push({ readme, line: start + 1, code: lines.slice(start, index).join('\n') });
      start = -1;
    }
  }
  if (start >= 0) throw new Error(`${readme}:${String(start)}: a \`\`\`ts block is never closed`);
  return blocks;
}

describe('the READMEs', () => {
  const all = readmes();

  it('list no README as not compiled that has no TypeScript block or no longer exists', () => {
    for (const readme of Object.keys(NOT_COMPILED)) {
      expect(all, readme).toContain(readme);
      expect(blocksOf(readme).length, readme).toBeGreaterThan(0);
    }
  });

  it('compile, every TypeScript block of every README', () => {
    rmSync(blocksFolder, { recursive: true, force: true });
    mkdirSync(blocksFolder, { recursive: true });
    const files = new Map<string, Block>();
    for (const readme of all.filter((each) => NOT_COMPILED[each] === undefined)) {
      for (const block of blocksOf(readme)) {
        const file = `${readme.replaceAll('/', '_')}-line-${String(block.line)}.ts`;
        // `export {}` makes every block a module, as a user's file with an import would be.
        writeFileSync(join(blocksFolder, file), `${block.code}\nexport {};\n`);
        files.set(file, block);
      }
    }
    expect(files.size).toBeGreaterThanOrEqual(10);
    writeFileSync(
      join(blocksFolder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '.' },
        include: ['*.ts'],
        exclude: [],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(blocksFolder, 'tsconfig.json')], {
        cwd: blocksFolder,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Point each error at the README's own line.
    const errors = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^(?:.*\/)?([^/(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        const block = match?.[1] === undefined ? undefined : files.get(match[1]);
        if (match === null || block === undefined) return line;
        const readmeLine = block.line + Number(match[2]) - 1;
        return `${block.readme}:${String(readmeLine)}:${match[3] ?? ''}: ${match[4] ?? ''}`;
      });
    expect(errors, `in ${relative(root, blocksFolder)}`).toEqual([]);
  });
});
