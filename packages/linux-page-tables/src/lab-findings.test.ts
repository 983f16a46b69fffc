import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINUX_CHECK_TOLERANCE } from './check-linux.js';
import { FINDINGS_RUNS, findingsReport } from './findings-workload.js';
import { replayPlans } from './replay-plan.js';

const doc = readFileSync(
  fileURLToPath(new URL('../../../docs/lab-findings.md', import.meta.url)),
  'utf8',
);
const start = doc.indexOf('\n## The model against a real kernel\n');
const next = doc.indexOf('\n## ', start + 1);
const section = start < 0 ? '' : doc.slice(start, next < 0 ? undefined : next);

const row =
  /^\| (stack-top|all) \| ([\d,]+) \| (\w+) \| ([\d,]+) \/ ([\d,]+) \/ ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([+-]?[\d,]+) \| ([\d,]+) \| (yes|NO) \|$/gm;
const number = (text: string | undefined): number => Number((text ?? '').replaceAll(',', ''));

describe('docs/lab-findings.md, "The model against a real kernel"', () => {
  it('quotes the command that measured it, which the build makes', () => {
    expect(section).toContain('node packages/linux-page-tables/dist/linux-findings.js');
    const tsup = readFileSync(fileURLToPath(new URL('../tsup.config.ts', import.meta.url)), 'utf8');
    expect(tsup).toContain("'src/linux-findings.ts'");
  });

  it("gives, for every size it measured, the engine's model as it counts today, and a kernel figure that agrees with it", () => {
    const seed = Number(/seed (\d+)/.exec(section)?.[1]);
    const rows = [...section.matchAll(row)];
    expect(rows.map((match) => `${match[1]}:${String(number(match[2]))}:${match[3]}`)).toEqual(
      FINDINGS_RUNS.flatMap((run) => [
        `${run.touched}:${String(run.alive)}:compact`,
        `${run.touched}:${String(run.alive)}:root`,
      ]),
    );
    for (const run of FINDINGS_RUNS) {
      const plans = replayPlans(findingsReport(run, seed, 'x86_64'));
      for (const plan of plans) {
        const match = rows.find(
          (found) =>
            found[1] === run.touched && number(found[2]) === run.alive && found[3] === plan.policy,
        );
        const levels = plan.model.levels.slice(0, 3).map((level) => level.pages);
        const model = levels.reduce((sum, pages) => sum + pages, 0);
        expect([4, 5, 6, 7].map((index) => number(match?.[index]))).toEqual([...levels, model]);
        const kernel = number(match?.[8]);
        expect(number(match?.[9])).toBe(kernel - model);
        expect(Math.abs(kernel - model)).toBeLessThanOrEqual(
          LINUX_CHECK_TOLERANCE.relative * model + LINUX_CHECK_TOLERANCE.pages,
        );
        expect([number(match?.[10]), match?.[11]]).toEqual([0, 'yes']);
      }
    }
  });
});
