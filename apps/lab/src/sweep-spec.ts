import { createHash } from 'node:crypto';
import {
  isAlignExponent,
  PAGE_SIZE,
  VM_ALIGN_MAX_EXPONENT,
  VM_ALIGN_MIN_EXPONENT,
} from '@vmars/address-space';
import { formatByteSize, parseByteSize } from '@vmars/cli-support';
import {
  ARCHITECTURES,
  type Architecture,
  isNamedPolicyName,
  NAMED_POLICY_NAMES,
  type NamedPolicyName,
  suiteWorkload,
  WORKLOAD_SUITE,
} from '@vmars/thread-workload';
import {
  isTraceWorkload,
  TRACE_WORKLOAD_PREFIX,
  type TraceRef,
  traceNameError,
} from './trace-ref.js';
import { UsageError } from './usage-error.js';

/** One block of a sweep: every combination of its lists, each at every seed. */
export interface SweepGroup {
  readonly label: string;
  readonly policies: readonly NamedPolicyName[];
  readonly workloads: readonly string[];
  readonly architectures: readonly Architecture[];
  readonly vmarSizes: readonly number[];
  readonly probeSizes: readonly number[];
  /**
   * Alignments in bytes (0: none) that replace each compact policy's own; absent: each keeps its
   * own (`aligned` 1 GiB, the others none).
   */
  readonly aligns?: readonly number[];
  /** Spare counts (`null`: never release) that replace each compact policy's own; absent: own. */
  readonly keepSpares?: readonly (number | null)[];
  readonly seeds: readonly number[];
}

/** A cell whose first seed's samples are kept, for the report's time series. */
export interface TimeSeriesCell {
  readonly workload: string;
  readonly architecture: Architecture;
}

/** A sweep, checked and with defaults filled in: what its hash is taken of. */
export interface SweepSpec {
  readonly name: string;
  readonly groups: readonly SweepGroup[];
  readonly timeSeries: readonly TimeSeriesCell[];
  /**
   * The trace files behind the `trace:NAME` workloads, by name, with each file's SHA-256 (set by
   * `resolveSweepTraces`; absent when the sweep has none). The hash covers the names and contents,
   * not where the files lie, so that shards run on two machines still merge.
   */
  readonly traces?: readonly TraceRef[];
}

/**
 * One run: a cell (policy, knob values, workload, architecture) at one seed. A knob a policy does
 * not have is `null`: `root` has neither size, `exact-probe` no probe size.
 */
export interface RunSpec {
  readonly key: string;
  readonly cell: string;
  readonly policy: NamedPolicyName;
  readonly vmarSize: number | null;
  readonly probeSize: number | null;
  /** The alignment knob, when the sweep sets it (bytes, 0 for none); absent: the policy's own. */
  readonly align?: number;
  /** The spare-VMARs knob, when the sweep sets it (`null`: never release); absent: the policy's. */
  readonly keepSpare?: number | null;
  readonly workload: string;
  readonly architecture: Architecture;
  readonly seed: number;
  /** Keep the samples (page tables and VMARs over the run) for the report. */
  readonly timeSeries: boolean;
}

/** The values a sweep takes when the spec (or the command line) does not say. */
export const SWEEP_DEFAULTS = {
  name: 'sweep',
  policies: NAMED_POLICY_NAMES,
  workloads: ['steady-100', 'steady-1k', 'bursty', 'waves', 'mixed-lifetimes'],
  architectures: ['x86_64'] as readonly Architecture[],
  vmarSize: ['1GiB'],
  probeSize: ['32MiB'],
  seeds: 20,
  firstSeed: 1,
} as const;

const GROUP_KEYS = [
  'label',
  'policies',
  'workloads',
  'architectures',
  'vmarSize',
  'probeSize',
  'align',
  'keepSpare',
  'seeds',
  'firstSeed',
] as const;
const TOP_KEYS = ['name', 'groups', 'timeSeries', ...GROUP_KEYS.filter((key) => key !== 'label')];

type RawGroup = Partial<Record<(typeof GROUP_KEYS)[number], unknown>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new UsageError(
        undefined,
        `${where}: unknown key "${key}" (known: ${known.join(', ')})`,
      );
  }
}

function list(value: unknown, where: string): readonly unknown[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new UsageError(undefined, `${where}: empty list`);
  return items;
}

function sizes(value: unknown, where: string): number[] {
  return list(value, where).map((item) => {
    const bytes =
      typeof item === 'number' ? item : typeof item === 'string' ? parseByteSize(item) : undefined;
    if (
      bytes === undefined ||
      !Number.isSafeInteger(bytes) ||
      bytes <= 0 ||
      bytes % PAGE_SIZE !== 0
    ) {
      throw new UsageError(
        undefined,
        `${where}: ${JSON.stringify(item)} is not a positive multiple of 4KiB (e.g. 32MiB)`,
      );
    }
    return bytes;
  });
}

function alignments(value: unknown, where: string): number[] {
  return list(value, where).map((item) => {
    if (item === 'none' || item === 0) return 0;
    const bytes =
      typeof item === 'number' ? item : typeof item === 'string' ? parseByteSize(item) : undefined;
    if (bytes === undefined || !isAlignExponent(Math.log2(bytes))) {
      const range = `${formatByteSize(2 ** VM_ALIGN_MIN_EXPONENT)} to ${formatByteSize(2 ** VM_ALIGN_MAX_EXPONENT)}`;
      throw new UsageError(
        undefined,
        `${where}: ${JSON.stringify(item)} is not none or a power of two from ${range}`,
      );
    }
    return bytes as number;
  });
}

function spares(value: unknown, where: string): (number | null)[] {
  return list(value, where).map((item) => {
    if (item === 'never' || item === null) return null;
    const count = typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new UsageError(
        undefined,
        `${where}: ${JSON.stringify(item)} is not never or a whole number of spare VMARs`,
      );
    }
    return count;
  });
}

function seedList(seeds: unknown, firstSeed: unknown, where: string): number[] {
  const first = firstSeed ?? SWEEP_DEFAULTS.firstSeed;
  if (typeof first !== 'number' || !Number.isSafeInteger(first) || first < 0) {
    throw new UsageError(
      undefined,
      `${where}: firstSeed must be a non-negative integer, got ${JSON.stringify(first)}`,
    );
  }
  if (Array.isArray(seeds)) {
    if (seeds.length === 0) throw new UsageError(undefined, `${where}: seeds is an empty list`);
    return seeds.map((seed) => {
      if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
        throw new UsageError(
          undefined,
          `${where}: seed ${JSON.stringify(seed)} is not an integer from 0 to 2^32 - 1`,
        );
      }
      return seed;
    });
  }
  const count = seeds ?? SWEEP_DEFAULTS.seeds;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > 10_000) {
    throw new UsageError(
      undefined,
      `${where}: seeds must be a count from 1 to 10000 or a list, got ${JSON.stringify(count)}`,
    );
  }
  if (first + count > 2 ** 32) throw new UsageError(undefined, `${where}: seeds run past 2^32 - 1`);
  return Array.from({ length: count }, (_, index) => first + index);
}

function names<T extends string>(
  value: unknown,
  known: readonly T[],
  what: string,
  where: string,
): T[] {
  const items = list(value, where).map(String);
  for (const item of items) {
    if (!(known as readonly string[]).includes(item)) {
      throw new UsageError(
        undefined,
        `${where}: unknown ${what} "${item}" (known: ${known.join(', ')})`,
      );
    }
  }
  return [...new Set(items)] as T[];
}

/**
 * Workload names: the suite's, or `trace:NAME` (a corpus trace or a `--trace` file, found later by
 * `resolveSweepTraces`; here only the name's form is checked).
 */
function workloadNames(value: unknown, where: string): string[] {
  const suite = WORKLOAD_SUITE.map((workload) => workload.name);
  const items = list(value, where).map(String);
  for (const item of items) {
    if (isTraceWorkload(item)) {
      const problem = traceNameError(item.slice(TRACE_WORKLOAD_PREFIX.length));
      if (problem !== undefined)
        throw new UsageError(undefined, `${where}: workload "${item}": ${problem}`);
    } else if (!suite.includes(item)) {
      throw new UsageError(
        undefined,
        `${where}: unknown workload "${item}" (known: ${suite.join(', ')}, or trace:NAME for corpus/NAME.jsonl.gz or a --trace file)`,
      );
    }
  }
  return [...new Set(items)];
}

function group(raw: RawGroup, defaults: RawGroup, index: number): SweepGroup {
  const where = `group ${String(index + 1)}`;
  const pick = (key: (typeof GROUP_KEYS)[number]): unknown => raw[key] ?? defaults[key];
  const policies = names(
    pick('policies') ?? SWEEP_DEFAULTS.policies,
    NAMED_POLICY_NAMES,
    'policy',
    `${where} policies`,
  );
  if (!policies.every(isNamedPolicyName)) throw new UsageError(undefined, `${where}: bad policy`);
  const label = pick('label') ?? `group-${String(index + 1)}`;
  if (typeof label !== 'string' || label === '')
    throw new UsageError(undefined, `${where}: label must be a string`);
  return {
    label,
    policies,
    workloads: workloadNames(pick('workloads') ?? SWEEP_DEFAULTS.workloads, `${where} workloads`),
    architectures: names(
      pick('architectures') ?? SWEEP_DEFAULTS.architectures,
      ARCHITECTURES,
      'architecture',
      `${where} architectures`,
    ),
    vmarSizes: [
      ...new Set(sizes(pick('vmarSize') ?? SWEEP_DEFAULTS.vmarSize, `${where} vmarSize`)),
    ],
    probeSizes: [
      ...new Set(sizes(pick('probeSize') ?? SWEEP_DEFAULTS.probeSize, `${where} probeSize`)),
    ],
    ...(pick('align') !== undefined && {
      aligns: [...new Set(alignments(pick('align'), `${where} align`))],
    }),
    ...(pick('keepSpare') !== undefined && {
      keepSpares: [...new Set(spares(pick('keepSpare'), `${where} keepSpare`))],
    }),
    seeds: seedList(pick('seeds'), pick('firstSeed'), where),
  };
}

/**
 * Checks a raw sweep (a parsed JSON spec file, or what the command line built) and fills in the
 * defaults. Top-level lists are the defaults of each group; without `groups` the top level is the
 * one group. Throws `UsageError` naming the first problem.
 */
export function parseSweepSpec(raw: unknown): SweepSpec {
  if (!isObject(raw)) throw new UsageError(undefined, 'the sweep spec must be a JSON object');
  checkKeys(raw, TOP_KEYS, 'sweep spec');
  const name = raw.name ?? SWEEP_DEFAULTS.name;
  if (typeof name !== 'string' || name === '')
    throw new UsageError(undefined, 'sweep spec: name must be a non-empty string');
  const defaults: RawGroup = {};
  for (const key of GROUP_KEYS)
    if (key !== 'label' && raw[key] !== undefined) defaults[key] = raw[key];
  const rawGroups = raw.groups ?? [{}];
  if (!Array.isArray(rawGroups) || rawGroups.length === 0)
    throw new UsageError(undefined, 'sweep spec: groups is empty');
  const groups = rawGroups.map((rawGroup: unknown, index) => {
    if (!isObject(rawGroup))
      throw new UsageError(undefined, `group ${String(index + 1)} must be an object`);
    checkKeys(rawGroup, GROUP_KEYS, `group ${String(index + 1)}`);
    return group(rawGroup, defaults, index);
  });
  const rawSeries = raw.timeSeries ?? [];
  if (!Array.isArray(rawSeries))
    throw new UsageError(undefined, 'sweep spec: timeSeries must be a list');
  const timeSeries = rawSeries.map((entry: unknown, index) => {
    const where = `timeSeries ${String(index + 1)}`;
    if (!isObject(entry)) throw new UsageError(undefined, `${where} must be an object`);
    checkKeys(entry, ['workload', 'architecture'], where);
    const [workload] = workloadNames(entry.workload, where);
    const [architecture] = names(entry.architecture, ARCHITECTURES, 'architecture', where);
    return { workload: workload as string, architecture: architecture as Architecture };
  });
  return { name, groups, timeSeries };
}

/**
 * The sweep's identity: a hash of the checked spec, its traces by name and content (not by
 * where their files lie). Results of one sweep merge; others do not.
 */
export function sweepHash(spec: SweepSpec): string {
  const { traces, ...rest } = spec;
  const hashed =
    traces === undefined
      ? rest
      : { ...rest, traces: traces.map(({ name, sha256 }) => ({ name, sha256 })) };
  return createHash('sha256').update(JSON.stringify(hashed)).digest('hex').slice(0, 16);
}

/** Every `trace:NAME` workload of the sweep (groups and time series), each once, in order. */
export function traceWorkloadsOf(spec: SweepSpec): string[] {
  const found = new Set<string>();
  for (const sweepGroup of spec.groups) {
    for (const workload of sweepGroup.workloads) if (isTraceWorkload(workload)) found.add(workload);
  }
  for (const entry of spec.timeSeries)
    if (isTraceWorkload(entry.workload)) found.add(entry.workload);
  return [...found];
}

function knobText(bytes: number | null): string {
  return bytes === null ? '-' : formatByteSize(bytes);
}

/** The knobs a sweep may set beyond the sizes: in a cell's key only when set. */
export interface ExtraKnobs {
  readonly align?: number;
  readonly keepSpare?: number | null;
}

/** The key of a cell: policy, knob values, workload, architecture. */
export function cellKey(
  policy: string,
  vmarSize: number | null,
  probeSize: number | null,
  workload: string,
  architecture: string,
  extra: ExtraKnobs = {},
): string {
  const align =
    extra.align === undefined
      ? ''
      : `|align=${extra.align === 0 ? 'none' : formatByteSize(extra.align)}`;
  const spare =
    extra.keepSpare === undefined
      ? ''
      : `|spare=${extra.keepSpare === null ? 'never' : String(extra.keepSpare)}`;
  return `${policy}|vmar=${knobText(vmarSize)}|probe=${knobText(probeSize)}${align}${spare}|${workload}|${architecture}`;
}

/**
 * Every run of the sweep, in a fixed order (groups, then policies, knob values, workloads,
 * architectures, seeds), each once. Knobs a policy lacks are set to `null` and the combinations
 * that differ only there are one cell; a probe larger than its VMAR is left out (and counted).
 */
export function expandSweep(spec: SweepSpec): {
  readonly runs: readonly RunSpec[];
  readonly skipped: number;
} {
  const runs: RunSpec[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const sweepGroup of spec.groups) {
    for (const policy of sweepGroup.policies) {
      for (const givenVmar of sweepGroup.vmarSizes) {
        for (const givenProbe of sweepGroup.probeSizes) {
          const vmarSize = policy === 'root' ? null : givenVmar;
          const probeSize = policy === 'root' || policy === 'exact-probe' ? null : givenProbe;
          if (vmarSize !== null && probeSize !== null && probeSize > vmarSize) {
            skipped += 1;
            continue;
          }
          for (const extra of extraKnobs(sweepGroup, policy)) {
            for (const workload of sweepGroup.workloads) {
              for (const architecture of sweepGroup.architectures) {
                const cell = cellKey(policy, vmarSize, probeSize, workload, architecture, extra);
                const wantsSeries = spec.timeSeries.some(
                  (entry) => entry.workload === workload && entry.architecture === architecture,
                );
                for (const seed of sweepGroup.seeds) {
                  const key = `${cell}|seed=${String(seed)}`;
                  if (seen.has(key)) continue;
                  seen.add(key);
                  runs.push({
                    key,
                    cell,
                    policy,
                    vmarSize,
                    probeSize,
                    ...extra,
                    workload,
                    architecture,
                    seed,
                    timeSeries: wantsSeries && seed === sweepGroup.seeds[0],
                  });
                }
              }
            }
          }
        }
      }
    }
  }
  if (runs.length === 0)
    throw new UsageError(
      undefined,
      'the sweep is empty: no run is left (is every probe larger than its VMAR?)',
    );
  return { runs, skipped };
}

/** The combinations of the group's extra knobs for `policy` (`root` has none: one, empty). */
function extraKnobs(sweepGroup: SweepGroup, policy: NamedPolicyName): ExtraKnobs[] {
  if (policy === 'root') return [{}];
  const aligns: readonly (number | undefined)[] = sweepGroup.aligns ?? [undefined];
  const spares: readonly (number | null | undefined)[] = sweepGroup.keepSpares ?? [undefined];
  return aligns.flatMap((align) =>
    spares.map((keepSpare) => ({
      ...(align !== undefined && { align }),
      ...(keepSpare !== undefined && { keepSpare }),
    })),
  );
}

/** The suite workload of a run (a `trace:` run has none: it replays its trace). */
export function workloadOf(run: RunSpec) {
  const workload = suiteWorkload(run.workload);
  if (workload === undefined) throw new UsageError(undefined, `unknown workload "${run.workload}"`);
  return workload;
}
