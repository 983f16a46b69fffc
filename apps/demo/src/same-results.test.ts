import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DemoReport } from './demo-report.js';
import { main } from './main.js';

interface RecordedCase {
  readonly argv: readonly string[];
  readonly sha256: string;
  readonly maxTotals: Readonly<Record<string, number>>;
}

const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/reports-before-the-engine.json', import.meta.url), 'utf8'),
) as { readonly cases: readonly RecordedCase[] };

async function runJson(argv: readonly string[]): Promise<DemoReport> {
  let stdout = '';
  const status = await main(['--json', ...argv], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
  });
  expect(status).toBe(0);
  return JSON.parse(stdout) as DemoReport;
}

// Issue 9: moving the engine into @vmars/thread-workload and keeping page tables incrementally
// changes nothing a user sees but the maxima, which are now over every event, not 48 samples.
describe('the demo gives the same reports as before the engine moved', () => {
  it.each(
    recorded.cases.map((recordedCase) => [recordedCase.argv.join(' '), recordedCase] as const),
  )('%s: the same JSON but for pageTables.max, which can only rise', async (_, recordedCase) => {
    const report = await runJson(recordedCase.argv);
    for (const policy of report.policies) {
      const max = policy.pageTables.max;
      expect(max.total).toBeGreaterThanOrEqual(recordedCase.maxTotals[policy.policy] ?? Infinity);
      // Over every event, so at least every sample and the peak.
      for (const sample of policy.samples)
        expect(max.total).toBeGreaterThanOrEqual(sample.pageTableTotal);
      expect(max.total).toBe(max.levels.reduce((sum, level) => sum + level.pages, 0));
      delete (policy.pageTables as { max?: unknown }).max;
    }
    const sha256 = createHash('sha256').update(JSON.stringify(report)).digest('hex');
    expect(sha256).toBe(recordedCase.sha256);
  });
});
