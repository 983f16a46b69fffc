import {
  corpusAdvice,
  corpusPolicies,
  corpusShapes,
  corpusSizes,
  corpusSource,
} from './findings-corpus.js';
import {
  alignment,
  extraKnobs,
  heatmap,
  pareto,
  policies,
  probe,
  riscv,
  source,
} from './findings-suite.js';
import type { ResultsFile } from './results-file.js';

/**
 * The findings doc's tables, each between `<!-- lab-table: NAME -->` and `<!-- /lab-table -->`,
 * made from a results file alone (the default sweep's, or for the `corpus-` tables the corpus
 * sweep's): `vmars-lab findings` rewrites them, `--check` (and a test) says whether the doc and
 * the results agree.
 */
const MARKER = /<!-- lab-table: ([a-z-]+) -->\n[\s\S]*?<!-- \/lab-table -->/g;

/** Which results file a table is made from. */
export type FindingsSource = 'default' | 'corpus';

const TABLES: Readonly<
  Record<
    string,
    { readonly source: FindingsSource; readonly make: (results: ResultsFile) => string }
  >
> = {
  source: { source: 'default', make: source },
  policies: { source: 'default', make: policies },
  alignment: { source: 'default', make: alignment },
  probe: { source: 'default', make: probe },
  riscv: { source: 'default', make: riscv },
  heatmap: { source: 'default', make: heatmap },
  knobs: { source: 'default', make: extraKnobs },
  pareto: { source: 'default', make: pareto },
  'corpus-source': { source: 'corpus', make: corpusSource },
  'corpus-shapes': { source: 'corpus', make: corpusShapes },
  'corpus-advice': { source: 'corpus', make: corpusAdvice },
  'corpus-policies': { source: 'corpus', make: corpusPolicies },
  'corpus-sizes': { source: 'corpus', make: corpusSizes },
};

/** The names of the tables the doc may hold. */
export const FINDINGS_TABLES = Object.keys(TABLES);

/** The results files the tables are made from: the corpus sweep's only where the doc uses it. */
export interface FindingsResults {
  readonly default: ResultsFile;
  readonly corpus?: ResultsFile;
}

function sourcesOf(results: ResultsFile | FindingsResults): FindingsResults {
  return 'tool' in results ? { default: results } : results;
}

/** The source of table `name`, or `undefined` for a name no table has. */
export function findingsTableSource(name: string): FindingsSource | undefined {
  return TABLES[name]?.source;
}

/** The table `name` made from its results, between its markers. */
export function findingsTable(name: string, results: ResultsFile | FindingsResults): string {
  const entry = TABLES[name];
  if (entry === undefined)
    throw new Error(`unknown findings table "${name}" (known: ${FINDINGS_TABLES.join(', ')})`);
  const from = sourcesOf(results)[entry.source];
  if (from === undefined)
    throw new Error(`findings table "${name}" needs the ${entry.source} sweep's results`);
  return `<!-- lab-table: ${name} -->\n${entry.make(from)}\n<!-- /lab-table -->`;
}

/** The sources the tables of `doc` are made from. */
export function findingsSourcesOf(doc: string): Set<FindingsSource> {
  const sources = new Set<FindingsSource>();
  for (const match of doc.matchAll(MARKER)) {
    const source = TABLES[match[1] as string]?.source;
    if (source !== undefined) sources.add(source);
  }
  return sources;
}

/** `doc` with every table regenerated from `results`. */
export function renderFindings(doc: string, results: ResultsFile | FindingsResults): string {
  return doc.replace(MARKER, (_match, name: string) => findingsTable(name, results));
}

/** The tables of `doc` that differ from what `results` makes (empty when they agree). */
export function checkFindings(doc: string, results: ResultsFile | FindingsResults): string[] {
  const sources = sourcesOf(results);
  const problems: string[] = [];
  let found = 0;
  for (const match of doc.matchAll(MARKER)) {
    found += 1;
    const name = match[1] as string;
    const entry = TABLES[name];
    if (entry === undefined) problems.push(`unknown table "${name}"`);
    else if (sources[entry.source] === undefined)
      problems.push(`table "${name}" needs the ${entry.source} sweep's results`);
    else if (match[0] !== findingsTable(name, sources))
      problems.push(`table "${name}" differs (run vmars-lab findings)`);
  }
  if (found === 0) problems.push('the doc has no lab-table markers');
  return problems;
}
