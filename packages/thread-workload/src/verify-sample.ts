import type { MapsSnapshot } from './maps-snapshot.js';
import type { PageTableCount } from './page-tables.js';
import { WorkloadError } from './workload-error.js';
import type { BlockRecord, Sample } from './workload-report.js';

/** Throws `WorkloadError` `VERIFICATION_FAILED` where the incremental figures and the oracle's differ. */
export function verifySample(
  policy: string,
  sample: Sample,
  pageTables: PageTableCount,
  blocks: readonly BlockRecord[],
  snapshot: MapsSnapshot,
): void {
  const differences: string[] = [];
  const compare = (what: string, kept: unknown, read: unknown): void => {
    const keptText = JSON.stringify(kept);
    const readText = JSON.stringify(read);
    if (keptText !== readText) differences.push(`${what}: kept ${keptText}, maps() ${readText}`);
  };
  compare('VMARs in the root', sample.rootChildVmars, snapshot.rootChildVmars);
  compare('reserved', sample.reserved, snapshot.reserved);
  compare('mapped', sample.mapped, snapshot.mapped);
  compare('page tables', pageTables, snapshot.pageTables);
  compare('blocks', blocks, snapshot.blocks);
  if (differences.length > 0) {
    throw new WorkloadError(
      'VERIFICATION_FAILED',
      `policy ${policy}, after event ${String(sample.event)}: ${differences.join('; ')}`,
    );
  }
}
