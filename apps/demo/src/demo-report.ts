import type { LinuxCheckReport } from '@vmars/linux-page-tables';
import type { WorkloadReport } from '@vmars/thread-workload';

export type { BlockRecord, PolicyReport, Sample } from '@vmars/thread-workload';

/**
 * What `--json` prints: the engine's report (`runWorkload`'s answer, documented field by field
 * in `@vmars/thread-workload`), tagged with the tool that made it.
 */
export interface DemoReport extends WorkloadReport {
  readonly tool: 'vmars-demo';
  /** Only with `--check-linux`: the kernel's page tables for each policy's peak (`checkLinux`). */
  readonly linuxCheck?: LinuxCheckReport;
}
