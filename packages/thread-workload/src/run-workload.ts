import type { AddressSpaceBackend } from '@vmars/address-space';
import { unwrap } from '@vmars/address-space';
import type { Architecture } from './architecture.js';
import { PAGING_LEVELS } from './architecture.js';
import type { DemoReport, PolicyReport } from './demo-report.js';
import { runPolicy } from './run-policy.js';
import { THREAD_STRUCT_SIZE, threadLayout } from './thread-layout.js';
import type { PolicyName } from './thread-vmar-policy.js';
import { STACK_TOP_TOUCHED_PAGES, type TouchedPages } from './touched-ranges.js';
import { type ChurnPattern, generateWorkload } from './workload.js';

/** What a run needs to know (the CLI's options minus how to print). */
export interface DemoRunOptions {
  readonly architecture: Architecture;
  readonly policies: readonly PolicyName[];
  readonly threads: number;
  readonly peak: number;
  readonly pattern: ChurnPattern;
  readonly stackSize: number;
  readonly tlsSize: number;
  readonly vmarSize: number;
  readonly probeSize: number;
  readonly seed: number;
  readonly touched: TouchedPages;
  /** How many times to read the root's maps over the run, besides the peak and the end. */
  readonly samples: number;
}

/**
 * Runs the workload once per policy, each on a fresh backend from `makeBackend` (so the second
 * policy does not start in the first one's leftovers), and gathers the report.
 *
 * @param onProgress called now and then with events done and events in all, over all policies.
 */
export function runDemo(
  options: DemoRunOptions,
  makeBackend: () => AddressSpaceBackend,
  onProgress?: (done: number, total: number) => void,
): DemoReport {
  const workload = generateWorkload(options);
  const eventCount = workload.events.length;
  const points = samplePoints(eventCount, workload.peakEvent, options.samples);
  const total = eventCount * options.policies.length;

  const policies: PolicyReport[] = [];
  let backendName = '';
  let pageSize = 0;
  let region = { base: 0, size: 0 };
  let layout: ReturnType<typeof threadLayout> | undefined;
  for (const [index, policy] of options.policies.entries()) {
    const backend = makeBackend();
    backendName = backend.name;
    pageSize = backend.pageSize;
    const info = unwrap(backend.rootVmar().info(), 'zx_object_get_info(ZX_INFO_VMAR)');
    region = { base: info.base, size: info.len };
    layout = threadLayout({
      architecture: options.architecture,
      pageSize,
      stackSize: options.stackSize,
      tlsSize: options.tlsSize,
    });
    const before = index * eventCount;
    policies.push(
      runPolicy({
        backend,
        policy,
        workload,
        layout,
        architecture: options.architecture,
        touched: options.touched,
        vmarSize: options.vmarSize,
        probeSize: options.probeSize,
        samplePoints: points,
        ...(onProgress === undefined
          ? {}
          : { onProgress: (done: number) => onProgress(before + done, total) }),
      }),
    );
    onProgress?.(before + eventCount, total);
  }

  return {
    tool: 'vmars-demo',
    backend: backendName,
    architecture: options.architecture,
    pageSize,
    region,
    touched: options.touched,
    stackTopTouchedPages: options.touched === 'stack-top' ? STACK_TOP_TOUCHED_PAGES : null,
    vmarSize: options.vmarSize,
    probeSize: options.probeSize,
    workload: {
      threads: workload.threads,
      peak: workload.peak,
      pattern: workload.pattern,
      seed: workload.seed,
      events: eventCount,
      peakEvent: workload.peakEvent + 1,
    },
    threadLayout: {
      stackSize: options.stackSize,
      tlsSize: options.tlsSize,
      threadStructSize: THREAD_STRUCT_SIZE,
      blocks: (layout?.blocks ?? []).map(({ kind, size, guardBelow, guardAbove }) => ({
        kind,
        size,
        guardBelow,
        guardAbove,
      })),
    },
    pagingLevels: PAGING_LEVELS[options.architecture].map(({ name, coverage }) => ({
      name,
      coverage,
    })),
    policies,
  };
}

/**
 * `count` event counts spread evenly over the run, plus the peak's and the last: where the root's
 * maps are read. Ascending, without repeats.
 */
export function samplePoints(eventCount: number, peakEvent: number, count: number): number[] {
  const points = new Set<number>([peakEvent + 1, eventCount]);
  for (let step = 1; step <= count; step += 1) {
    points.add(Math.max(1, Math.round((step * eventCount) / count)));
  }
  return [...points].sort((left, right) => left - right);
}
