import {
  type BlockKind,
  type BlockLayout,
  countPageTables,
  PAGING_LEVELS,
  type PageTableCount,
  type PolicyReport,
  TOUCHED_PAGES,
  threadLayout,
  touchedWindow,
  type WorkloadReport,
} from '@vmars/thread-workload';
import { LinuxCheckError } from './linux-check-error.js';

/** The page size the check replays: the engine's tables are of 4 KiB pages (semantics §12). */
export const REPLAY_PAGE_SIZE = 4096;

/** One block of the peak as the child maps it: the whole block, and the pages it writes. */
export interface ReplayBlock {
  readonly kind: BlockKind;
  readonly base: number;
  readonly size: number;
  /** `[touchedStart, touchedEnd)`: the engine's `touchedWindow` of the block, as an address range. */
  readonly touchedStart: number;
  readonly touchedEnd: number;
}

/** What one policy's replay maps, touches, and what the model says its tables are. */
export interface ReplayPlan {
  readonly policy: string;
  readonly blocks: readonly ReplayBlock[];
  readonly touchedBytes: number;
  /** The engine's count for the touched pages, every level (equal to the report's `atPeak`). */
  readonly model: PageTableCount;
  /**
   * How many levels, from the lowest, Linux counts in `VmPTE`: every one but the top, whose table
   * comes with the process (x86-64: PT, PD, PDPT; arm64: L3, L2, L1).
   */
  readonly countedLevels: number;
}

/**
 * The replay of each policy of `report` (or of those named): the peak's blocks, each with the pages
 * the model counts as touched, taken from the engine's own `touchedWindow` over the engine's
 * `threadLayout` for the report's sizes. Throws `LinuxCheckError` `INVALID_REPORT` for a report
 * the check cannot replay: not 4 KiB pages, not four levels of tables, a layout that is not the
 * engine's, a policy with no blocks at the peak, blocks that overlap or leave the region, or peak
 * blocks whose count is not the report's own `atPeak`.
 */
export function replayPlans(
  report: WorkloadReport,
  policies?: readonly string[],
): readonly ReplayPlan[] {
  const { architecture, pageSize } = report;
  const invalid = (detail: string): LinuxCheckError =>
    new LinuxCheckError('INVALID_REPORT', `the report cannot be replayed: ${detail}`);
  if (architecture !== 'x86_64' && architecture !== 'arm64') {
    throw invalid(
      `its architecture is ${String(architecture)}; only x86_64 and arm64 reports have Linux's four levels of 4 KiB tables`,
    );
  }
  if (pageSize !== REPLAY_PAGE_SIZE) {
    throw invalid(`its page size is ${String(pageSize)} bytes, expected ${REPLAY_PAGE_SIZE}`);
  }
  const levels = PAGING_LEVELS[architecture];
  const sameLevels =
    Array.isArray(report.pagingLevels) &&
    report.pagingLevels.length === levels.length &&
    levels.every(
      (level, index) =>
        report.pagingLevels[index]?.name === level.name &&
        report.pagingLevels[index]?.coverage === level.coverage,
    );
  if (!sameLevels) {
    throw invalid(
      `its paging levels are not the engine's for ${architecture} (${levels.map((level) => level.name).join(', ')})`,
    );
  }
  if (!TOUCHED_PAGES.includes(report.touched)) {
    throw invalid(
      `touched is ${String(report.touched)}, expected one of ${TOUCHED_PAGES.join(', ')}`,
    );
  }

  const layouts = layoutsOf(report, invalid);
  const chosen =
    policies === undefined
      ? report.policies
      : policies.map((name) => {
          const found = report.policies.find((policy) => policy.policy === name);
          if (found === undefined) throw invalid(`it has no policy ${name}`);
          return found;
        });
  if (chosen.length === 0) throw invalid('it has no policies');
  return chosen.map((policy) => planOf(report, policy, layouts, levels.length - 1, invalid));
}

/** The engine's layout for the report's sizes, block by kind, checked against the report's. */
function layoutsOf(
  report: WorkloadReport,
  invalid: (detail: string) => LinuxCheckError,
): ReadonlyMap<BlockKind, BlockLayout> {
  const reported = report.threadLayout;
  const machineStack = reported?.blocks?.find((block) => block.kind === 'machine-stack');
  if (machineStack === undefined) throw invalid('its thread layout has no machine stack');
  const layout = threadLayout({
    architecture: report.architecture,
    pageSize: report.pageSize,
    stackSize: reported.stackSize,
    tlsSize: reported.tlsSize,
    stackGuardSize: machineStack.guardBelow,
  });
  const byKind = new Map(layout.blocks.map((block) => [block.kind, block]));
  for (const block of reported.blocks) {
    const engine = byKind.get(block.kind);
    if (
      engine === undefined ||
      engine.size !== block.size ||
      engine.guardBelow !== block.guardBelow ||
      engine.guardAbove !== block.guardAbove
    ) {
      throw invalid(
        `its ${String(block.kind)} block (${String(block.size)} bytes, guards ${String(block.guardBelow)}/${String(block.guardAbove)}) is not the engine's layout for its stack and TLS sizes`,
      );
    }
  }
  if (reported.blocks.length !== byKind.size) {
    throw invalid(`its thread layout has ${String(reported.blocks.length)} blocks, expected 3`);
  }
  return byKind;
}

function planOf(
  report: WorkloadReport,
  policy: PolicyReport,
  layouts: ReadonlyMap<BlockKind, BlockLayout>,
  countedLevels: number,
  invalid: (detail: string) => LinuxCheckError,
): ReplayPlan {
  const name = policy.policy;
  const peakBlocks = policy.peakSnapshot?.blocks ?? [];
  if (peakBlocks.length === 0) {
    throw invalid(`policy ${name} has no blocks at the peak: there is nothing to map`);
  }
  const regionEnd = report.region.base + report.region.size;
  const blocks: ReplayBlock[] = [];
  let previousEnd = report.region.base;
  let touchedBytes = 0;
  for (const [index, block] of peakBlocks.entries()) {
    const layout = layouts.get(block.kind);
    const where = `policy ${name}, peak block ${String(index)}`;
    if (layout === undefined) throw invalid(`${where}: unknown kind ${String(block.kind)}`);
    if (
      !Number.isSafeInteger(block.base) ||
      block.base % report.pageSize !== 0 ||
      block.size !== layout.size
    ) {
      throw invalid(
        `${where}: expected a page-aligned base and the ${block.kind} size ${String(layout.size)}, got base ${String(block.base)} size ${String(block.size)}`,
      );
    }
    if (block.base < previousEnd || block.base + block.size > regionEnd) {
      throw invalid(
        `${where}: at ${String(block.base)} it overlaps the block before it or leaves the region (blocks must be in address order)`,
      );
    }
    previousEnd = block.base + block.size;
    const window = touchedWindow(layout, report.touched, report.pageSize);
    const touchedStart = block.base + window.offset;
    blocks.push({
      kind: block.kind,
      base: block.base,
      size: block.size,
      touchedStart,
      touchedEnd: touchedStart + window.length,
    });
    touchedBytes += window.length;
  }
  const model = countPageTables(
    blocks.map((block) => ({ start: block.touchedStart, end: block.touchedEnd })),
    report.architecture,
  );
  const reported = policy.pageTables?.atPeak;
  const same =
    reported !== undefined &&
    reported.total === model.total &&
    model.levels.every((level, index) => reported.levels[index]?.pages === level.pages);
  if (!same) {
    throw invalid(
      `policy ${name}: its peak blocks need ${String(model.total)} page-table pages, but the report counts ${String(reported?.total)} at the peak`,
    );
  }
  return { policy: name, blocks, touchedBytes, model, countedLevels };
}
