import { memoryBackend } from '@vmars/backend-memory';
import {
  type Architecture,
  CHURN_PATTERNS,
  type ChurnPattern,
  runWorkload,
  STACK_TOP_TOUCHED_PAGES,
  TOUCHED_PAGES,
  type TouchedPages,
  type WorkloadReport,
} from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';
import { LinuxCheckError } from './linux-check-error.js';
import { replayPlans } from './replay-plan.js';

const PAGE = 4096;

function report(
  architecture: Architecture,
  touched: TouchedPages,
  pattern: ChurnPattern = 'steady',
): WorkloadReport {
  return runWorkload({
    backend: () => memoryBackend({ arch: architecture, region: 'shared', seed: 7 }),
    architecture,
    threads: 200,
    peak: 50,
    pattern,
    touched,
    seed: 7,
  });
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (LinuxCheckError.isInstance(error) && error.code === 'INVALID_REPORT') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_REPORT');
}

describe('replayPlans', () => {
  for (const architecture of ['x86_64', 'arm64'] as const) {
    for (const touched of TOUCHED_PAGES) {
      it(`${architecture}, ${touched}: every pattern's peak blocks give the report's own count, three counted levels`, () => {
        for (const pattern of CHURN_PATTERNS) {
          const made = report(architecture, touched, pattern);
          const plans = replayPlans(made);
          expect(plans.map((plan) => plan.policy)).toEqual(['compact', 'root']);
          for (const [index, plan] of plans.entries()) {
            const policy = made.policies[index];
            expect(plan.model).toEqual(policy?.pageTables.atPeak);
            expect(plan.countedLevels).toBe(3);
            expect(plan.blocks.length).toBe(policy?.peakSnapshot.blocks.length);
          }
        }
      });
    }
  }

  it("touches the engine's windows: stack-top writes each stack's first pages as it grows, and the thread block", () => {
    for (const architecture of ['x86_64', 'arm64'] as const) {
      const [plan] = replayPlans(report(architecture, 'stack-top'), ['compact']);
      const top = STACK_TOP_TOUCHED_PAGES * PAGE;
      for (const block of plan?.blocks ?? []) {
        const length = block.touchedEnd - block.touchedStart;
        if (block.kind === 'thread-block') {
          expect([block.touchedStart, length]).toEqual([block.base, block.size]);
        } else if (block.kind === 'security-stack' && architecture === 'arm64') {
          // ShadowCallStack grows up: its first pages are at its base (semantics §7).
          expect([block.touchedStart, length]).toEqual([block.base, top]);
        } else {
          expect([block.touchedEnd, length]).toEqual([block.base + block.size, top]);
        }
      }
    }
    const [all] = replayPlans(report('x86_64', 'all'), ['root']);
    for (const block of all?.blocks ?? []) {
      expect([block.touchedStart, block.touchedEnd]).toEqual([block.base, block.base + block.size]);
    }
    expect(all?.touchedBytes).toBe((all?.blocks ?? []).reduce((sum, block) => sum + block.size, 0));
  });

  it('names the policies asked for, and refuses one the report does not have', () => {
    const made = report('x86_64', 'stack-top');
    expect(replayPlans(made, ['root']).map((plan) => plan.policy)).toEqual(['root']);
    expect(refusal(() => replayPlans(made, ['aligned']))).toBe(
      'the report cannot be replayed: it has no policy aligned',
    );
  });

  it('refuses reports that do not hold together', () => {
    const made = report('x86_64', 'stack-top');
    const [compact, root] = made.policies;
    if (compact === undefined || root === undefined) throw new Error('two policies expected');
    const blocks = compact.peakSnapshot.blocks;
    const withBlocks = (edited: typeof blocks): WorkloadReport => ({
      ...made,
      policies: [{ ...compact, peakSnapshot: { ...compact.peakSnapshot, blocks: edited } }, root],
    });

    expect(refusal(() => replayPlans(report('riscv64', 'all')))).toContain(
      'its architecture is riscv64',
    );
    expect(refusal(() => replayPlans({ ...made, pageSize: 16_384 }))).toContain(
      'its page size is 16384 bytes, expected 4096',
    );
    expect(
      refusal(() => replayPlans({ ...made, pagingLevels: made.pagingLevels.slice(0, 3) })),
    ).toContain("its paging levels are not the engine's for x86_64 (PT, PD, PDPT, PML4)");
    expect(
      refusal(() =>
        replayPlans({ ...made, threadLayout: { ...made.threadLayout, tlsSize: 64 * 1024 } }),
      ),
    ).toContain("its thread-block block (4096 bytes, guards 4096/4096) is not the engine's layout");
    const [first, second, ...rest] = blocks;
    if (first === undefined || second === undefined) throw new Error('two blocks expected');
    expect(refusal(() => replayPlans(withBlocks([second, first, ...rest])))).toContain(
      'policy compact, peak block 1: at',
    );
    expect(
      refusal(() => replayPlans(withBlocks([{ ...first, base: first.base + 1 }, second]))),
    ).toContain('policy compact, peak block 0: expected a page-aligned base');
    expect(
      refusal(() => replayPlans(withBlocks([{ ...first, size: first.size + PAGE }, second]))),
    ).toContain(`expected a page-aligned base and the ${first.kind} size ${String(first.size)}`);
    expect(
      refusal(() => replayPlans(withBlocks([{ ...first, base: made.region.base - PAGE * 1024 }]))),
    ).toContain('leaves the region');
  });
});
