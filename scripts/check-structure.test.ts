import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkStructure } from './check-structure.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-structure.mjs');
const folders: string[] = [];

/** A git work tree holding `files` (path → text), none committed. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vmars-structure-'));
  folders.push(root);
  execFileSync('git', ['init', '-q'], { cwd: root });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function functionOf(lines: number, name = 'long'): string {
  const body = Array.from({ length: lines - 2 }, (_, index) => `  const v${index} = ${index};`);
  return [`export function ${name}(): void {`, ...body, '}', ''].join('\n');
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('check-structure', () => {
  it('finds a function over 80 lines, not one of 80', () => {
    const root = tree({
      'src/a.ts': functionOf(81),
      'src/b.ts': functionOf(80, 'short'),
    });
    expect(checkStructure(root)).toEqual(['src/a.ts:1: function long is 81 lines, over 80']);
  });

  it('finds a file over 500 lines unless its header says why', () => {
    const filler = `${'// line\n'.repeat(501)}`;
    const root = tree({
      'src/big.ts': filler,
      'src/explained.ts': `// Long file: one table of cases, read top to bottom.\n${filler}`,
    });
    expect(checkStructure(root)).toEqual([
      'src/big.ts: 501 lines, over 500; split it, or say why in its header ("Long file: ...")',
    ]);
  });

  it('passes a test-case catalogue, and test files, over both limits', () => {
    const root = tree({
      'src/cases.ts': `// Test-case catalogue: registers the cases of one topic.\n${functionOf(600)}`,
      'src/a.test.ts': functionOf(200),
      'src/test-support/helper.ts': functionOf(200),
    });
    expect(checkStructure(root)).toEqual([]);
  });

  it('finds an import cycle, type-only imports and re-exports included', () => {
    const root = tree({
      'src/a.ts': "import type { B } from './b.js';\nexport type A = B | 1;\n",
      'src/b.ts': "export type { C as B } from './c.js';\n",
      'src/c.ts': "import type { A } from './a.js';\nexport type C = A[];\n",
      'src/d.ts': "import type { A } from './a.js';\nexport type D = A;\n",
    });
    expect(checkStructure(root)).toEqual(['import cycle: src/a.ts <-> src/b.ts <-> src/c.ts']);
  });

  it('exits 1 with one line per problem, 0 on a clean tree, 2 on a bad argument', () => {
    const bad = tree({ 'src/a.ts': functionOf(90) });
    const failed = spawnSync(process.execPath, [script, '--root', bad], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe('src/a.ts:1: function long is 90 lines, over 80\n');
    const clean = tree({ 'src/a.ts': functionOf(10) });
    expect(spawnSync(process.execPath, [script, '--root', clean]).status).toBe(0);
    const usage = spawnSync(process.execPath, [script, '--bogus'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });
});
