import type { ThreadLayout } from '../thread-layout.js';
import type { ThreadVmarPolicyDefinition } from '../thread-vmar-policy.js';
import { blockSizes, type CompactKnobs, knobPolicy, SEED_KNOBS } from './knob-policy.js';
import { ROOT_POLICY } from './root-policy.js';

/**
 * The policies the lab compares: the seed (`compact`), Starnix's placement before
 * `ThreadCreateVmars` (`root`), and the seed with one knob turned each.
 */
export type NamedPolicyName =
  | 'compact'
  | 'root'
  | 'aligned'
  | 'exact-probe'
  | 'shrinking'
  | 'shared-list';

/**
 * `compact`: the seed, as Starnix runs it today. Three lists (machine stack, security stack,
 * thread block) of 1 GiB COMPACT VMARs without an alignment flag, probed with 32 MiB, never
 * shrinking. It packs each kind of block densely, so threads share page tables, at the price of
 * 1 GiB reserved per list even for one thread, and of VMARs that stay once a burst has gone.
 */
const compact: CompactKnobs = SEED_KNOBS;

/**
 * `aligned`: the seed with `ZX_VM_ALIGN_1GB` on each compact VMAR, as Fuchsia's audio mixer
 * aligns its compact VMAR. An unaligned 1 GiB VMAR usually straddles two 1 GiB page-directory
 * regions, so its blocks can need two page-directory pages where one would do; aligning it costs
 * nothing in reserved bytes but constrains where the kernel may place it (less ASLR entropy for
 * the VMAR's base).
 */
const aligned: CompactKnobs = { ...SEED_KNOBS, align: 2 ** 30 };

/**
 * `exact-probe`: probe each list with the size libc will carve for that block, guards included,
 * instead of 32 MiB. The seed over-approximates because it does not know libc's sizes; Starnix
 * does know the stack size it asks for. A 32 MiB probe fails in a VMAR whose holes are all
 * smaller than 32 MiB though each could hold a 2 MiB stack, so the seed grows the list early under
 * random exits; an exact probe uses those holes, and never says yes where libc then fails.
 */
const exactProbe: CompactKnobs = { ...SEED_KNOBS, probe: 'exact' };

/**
 * `shrinking`: before each probe, release the compact VMARs that are empty (the seed's `Drop`
 * check), keeping one spare per list. The seed's lists never shrink, so after a burst of threads
 * the VMARs stay reserved (though empty ones hold no page tables, as Zircon frees a table that
 * empties); shrinking returns the address space, at the cost of `maps` queries per probe and of
 * allocating again at the next burst.
 */
const shrinking: CompactKnobs = { ...SEED_KNOBS, keepSpare: 1 };

/**
 * `shared-list`: one list for all three block kinds instead of three. A thread's stacks and its
 * thread block then sit side by side in one VMAR: a third of the VMARs for a small program (one
 * 1 GiB reservation instead of three). The risk is that the small thread blocks, scattered among
 * 2 MiB stacks, no longer share page tables with each other; the lab measures whether that costs
 * more tables than fewer, fuller VMARs save.
 */
const sharedList: CompactKnobs = { ...SEED_KNOBS, sharedList: true };

const KNOBS: Readonly<Record<Exclude<NamedPolicyName, 'root'>, CompactKnobs>> = {
  compact,
  aligned,
  'exact-probe': exactProbe,
  shrinking,
  'shared-list': sharedList,
};

/**
 * The lab's policies, in the order its reports list them. `root` is the built-in one: the root
 * VMAR for all three blocks, placed by ASLR, as Starnix did before `ThreadCreateVmars`.
 */
export const NAMED_POLICY_NAMES: readonly NamedPolicyName[] = [
  'compact',
  'root',
  'aligned',
  'exact-probe',
  'shrinking',
  'shared-list',
];

/** The knobs of a named policy (`null` for `root`, which has none). */
export function namedPolicyKnobs(name: NamedPolicyName): CompactKnobs | null {
  return name === 'root' ? null : KNOBS[name];
}

/**
 * The named policy `name` as a definition `runWorkload` takes. `layout` is the run's thread
 * layout: `exact-probe` needs it (the sizes it probes with), the others ignore it. `knobs` moves
 * the point (for a sweep of a knob around a named policy); `root` takes none.
 */
export function namedPolicy(
  name: NamedPolicyName,
  layout?: ThreadLayout,
  knobs: Partial<CompactKnobs> = {},
): ThreadVmarPolicyDefinition {
  if (name === 'root') return ROOT_POLICY;
  const point = { ...KNOBS[name], ...knobs };
  return knobPolicy(
    name,
    point,
    point.probe === 'exact' && layout !== undefined ? blockSizes(layout) : undefined,
  );
}

/** Whether `value` names one of the lab's policies. */
export function isNamedPolicyName(value: unknown): value is NamedPolicyName {
  return typeof value === 'string' && (NAMED_POLICY_NAMES as readonly string[]).includes(value);
}
