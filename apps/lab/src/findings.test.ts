import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFindings, FINDINGS_TABLES, findingsTableSource, renderFindings } from './findings.js';
import type { ResultsFile } from './results-file.js';
import { parseSweepSpec, sweepHash } from './sweep-spec.js';

const docPath = fileURLToPath(new URL('../../../docs/lab-findings.md', import.meta.url));
const resultsPath = fileURLToPath(new URL('../results/default.json', import.meta.url));
const specPath = fileURLToPath(new URL('../sweeps/default.json', import.meta.url));
const doc = readFileSync(docPath, 'utf8');
const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsFile;
// The doc's section "On real programs" is made from the corpus sweep (corpus-findings.test.ts).
const corpus = JSON.parse(
  readFileSync(fileURLToPath(new URL('../results/corpus.json', import.meta.url)), 'utf8'),
) as ResultsFile;
const sources = { default: results, corpus };

describe('docs/lab-findings.md', () => {
  it('agrees with the committed results file, table by table', () => {
    expect(checkFindings(doc, sources)).toEqual([]);
    expect(renderFindings(doc, sources)).toBe(doc);
  });

  it('holds every table, from the complete results of the committed sweep spec', () => {
    for (const name of FINDINGS_TABLES.filter(
      (table) => findingsTableSource(table) === 'default',
    )) {
      expect(doc).toContain(`<!-- lab-table: ${name} -->`);
    }
    expect(results.complete).toBe(true);
    expect(results.failed).toBe(0);
    // The results are of the committed spec, as it is now.
    const spec = parseSweepSpec(JSON.parse(readFileSync(specPath, 'utf8')));
    expect(results.sweep.hash).toBe(sweepHash(spec));
  });

  it('headline comparisons rest on at least 20 seeds', () => {
    const headline = results.cells.filter((cell) => cell.workload !== 'fill-26k');
    expect(headline.length).toBeGreaterThan(0);
    for (const cell of headline) expect(cell.runs).toBeGreaterThanOrEqual(20);
  });

  it('a changed number is caught', () => {
    const tampered = doc.replace(
      /\| steady-1k \| x86_64 \| compact \| [0-9,]+/,
      '| steady-1k | x86_64 | compact | 1',
    );
    expect(tampered).not.toBe(doc);
    expect(checkFindings(tampered, sources)).toEqual([
      'table "policies" differs (run vmars-lab findings)',
    ]);
  });
});
