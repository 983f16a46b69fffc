import type { Architecture } from '@vmars/address-space';
import { PROBE_SIZE, VMAR_SIZE } from '@vmars/compact-vmar';
import type { NamedPolicyName } from './policies/named-policies.js';
import type { TouchedPages } from './touched-ranges.js';
import type { ChurnPattern } from './workload.js';

/** The defaults of `runWorkload`'s options: the demo's, and the seed's sizes. */
export const WORKLOAD_DEFAULTS = {
  policies: ['compact', 'root'] as readonly NamedPolicyName[],
  architecture: 'x86_64' as Architecture,
  threads: 10_000,
  /** Or `threads`, if smaller. */
  peak: 1_000,
  pattern: 'steady' as ChurnPattern,
  // Rust std's DEFAULT_MIN_STACK_SIZE: Starnix's user threads are Rust threads (§7).
  stackSize: 2 * 2 ** 20,
  // With the 2 KiB thread struct estimate this makes the thread block one page plus its two guard
  // pages: the "≈ 3 pages (typical)" of semantics §7.
  tlsSize: 2 ** 10,
  vmarSize: VMAR_SIZE,
  probeSize: PROBE_SIZE,
  seed: 1,
  touched: 'all' as TouchedPages,
  samples: 48,
} as const;

/** The most thread lifecycles `runWorkload`'s `threads` takes. */
export const MAX_THREADS = 10_000_000;
/** The most samples `runWorkload`'s `samples` takes. */
export const MAX_SAMPLES = 10_000;
