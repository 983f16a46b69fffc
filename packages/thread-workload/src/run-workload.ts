import {
  type AddressSpaceBackend,
  ARCHITECTURES,
  type Architecture,
  PAGE_SIZE,
  unknownOptionKey,
  unwrap,
} from '@vmars/address-space';
import { PROBE_SIZE, VMAR_SIZE } from '@vmars/compact-vmar';
import { PAGING_LEVELS } from './architecture.js';
import type { SampleListener } from './live-blocks.js';
import {
  isNamedPolicyName,
  NAMED_POLICY_NAMES,
  type NamedPolicyName,
  namedPolicy,
} from './policies/named-policies.js';
import { runPolicy } from './run-policy.js';
import { THREAD_STRUCT_SIZE, type ThreadLayout, threadLayout } from './thread-layout.js';
import type { ThreadVmarPolicyDefinition } from './thread-vmar-policy.js';
import { STACK_TOP_TOUCHED_PAGES, TOUCHED_PAGES, type TouchedPages } from './touched-ranges.js';
import { TRACE_REPLAY_NOTE, type TraceWorkload } from './trace-workload.js';
import {
  type ChurnPattern,
  type GeneratedWorkload,
  generateWorkload,
  WORKLOAD_PATTERNS,
  type Workload,
  type WorkloadPattern,
} from './workload.js';
import { WorkloadError } from './workload-error.js';
import type { PolicyReport, WorkloadReport } from './workload-report.js';

/** `runWorkload`'s options. Everything but `backend` has a default (`WORKLOAD_DEFAULTS`). */
export interface RunWorkloadOptions {
  /**
   * Where the run happens. A factory is called once per policy, so that each starts on a fresh
   * backend (the run assumes the root holds nothing of anyone else's); a backend itself serves
   * one policy only. The engine never picks a backend: the caller does.
   */
  readonly backend: AddressSpaceBackend | (() => AddressSpaceBackend);
  /**
   * The policies to run, in order: names of the built-in ones (`NAMED_POLICY_NAMES`: `compact`,
   * `root`, `aligned`, `exact-probe`, `shrinking`, `shared-list`) or definitions of the caller's
   * own (`namedPolicy(name, layout, knobs)` makes a built-in one with other knobs).
   */
  readonly policies?: readonly (NamedPolicyName | ThreadVmarPolicyDefinition)[];
  /** The paging structures counted and the security stack's direction; match the backend's. */
  readonly architecture?: Architecture;
  /**
   * A prepared workload to run instead of generating one: `generateWorkload`'s, or a trace's
   * (`workloadFromTrace`). Not with `threads`, `peak` or `pattern`, which generate one; nor, for a
   * generated workload, with `seed`, which it carries. Checked event by event (O(events)) before
   * anything runs. A trace's replay reports where the trace came from, and its samples carry the
   * trace's time; its seed reaches only the backend: a trace is one realization.
   */
  readonly workload?: Workload;
  /** Thread lifecycles in all (each thread is created once and ends once); at most 10,000,000. */
  readonly threads?: number;
  /** The most threads alive at once, reached at least once; at most `threads`. */
  readonly peak?: number;
  readonly pattern?: WorkloadPattern;
  /** The machine stack's size, and the security stack's: a positive multiple of the page size. */
  readonly stackSize?: number;
  /** Static TLS per thread, any whole number of bytes (libc rounds the thread block up). */
  readonly tlsSize?: number;
  /** Each compact VMAR's size (the seed's `VMAR_SIZE`). */
  readonly vmarSize?: number;
  /** What each compact VMAR is probed with (the seed's `PROBE_SIZE`); at most `vmarSize`. */
  readonly probeSize?: number;
  /** Seeds the workload's PRNG, 0 to 2^32 − 1. (A memory backend's ASLR has its own seed.) */
  readonly seed?: number;
  readonly touched?: TouchedPages;
  /** Samples taken evenly over the run, besides the peak and the end: 1 to 10,000. */
  readonly samples?: number;
  /**
   * Hold every sample against a `maps()` read of the root (O(entries) each) and throw
   * `WorkloadError` `VERIFICATION_FAILED` on a difference. For tests and for new backends.
   */
  readonly verify?: boolean;
  /** Called now and then with events done and events in all, over all policies. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called at every sample with the policy's name, the sample and a function that lists the
   * blocks alive then (what the report keeps only for the peak): for a map of every moment.
   */
  readonly onSample?: SampleListener;
}

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

const optionNames = new Set([
  'backend',
  'policies',
  'architecture',
  'workload',
  'threads',
  'peak',
  'pattern',
  'stackSize',
  'tlsSize',
  'vmarSize',
  'probeSize',
  'seed',
  'touched',
  'samples',
  'verify',
  'onProgress',
  'onSample',
]);

/** `RunWorkloadOptions`, checked, with the defaults filled in. */
interface ResolvedOptions {
  readonly makeBackend: () => AddressSpaceBackend;
  /** Names are bound to their definitions per run, once the backend's page size gives the layout. */
  readonly policies: readonly (NamedPolicyName | ThreadVmarPolicyDefinition)[];
  readonly architecture: Architecture;
  /** The `workload` option, checked; `undefined`: generate one from threads, peak, pattern, seed. */
  readonly workload: Workload | undefined;
  readonly threads: number;
  readonly peak: number;
  readonly pattern: WorkloadPattern;
  readonly stackSize: number;
  readonly tlsSize: number;
  readonly vmarSize: number;
  readonly probeSize: number;
  readonly seed: number;
  readonly touched: TouchedPages;
  readonly samples: number;
  readonly verify: boolean;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
  readonly onSample: SampleListener | undefined;
}

/**
 * Runs a Starnix-like thread workload once per policy, each on a fresh backend, and reports what
 * each did to the address space (`WorkloadReport`). The options are checked first: a bad one
 * throws `WorkloadError` `INVALID_OPTION`, naming it, before any backend is made.
 *
 * @example
 * const report = runWorkload({
 *   backend: () => memoryBackend({ region: 'shared', seed: 1 }),
 *   policies: ['compact', 'root'],
 *   threads: 10_000,
 *   peak: 1_000,
 * });
 * report.policies[0].pageTables.atPeak.total;
 */
export function runWorkload(options: RunWorkloadOptions): WorkloadReport {
  const resolved = resolveOptions(options);
  const workload = resolved.workload ?? generateWorkload(resolved);
  const times = workload.pattern === 'trace' ? workload.times : undefined;
  const eventCount = workload.events.length;
  const points =
    times === undefined
      ? samplePoints(eventCount, workload.peakEvent, resolved.samples)
      : traceSamplePoints(times, workload.peakEvent, resolved.samples);
  const total = eventCount * resolved.policies.length;
  const { onProgress } = resolved;

  const policies: PolicyReport[] = [];
  let backendName = '';
  let pageSize = 0;
  let region = { base: 0, size: 0 };
  let layout: ThreadLayout | undefined;
  for (const [index, policy] of resolved.policies.entries()) {
    const backend = resolved.makeBackend();
    backendName = backend.name;
    pageSize = backend.pageSize;
    const info = unwrap(backend.rootVmar().info(), 'zx_object_get_info(ZX_INFO_VMAR)');
    region = { base: info.base, size: info.len };
    layout = threadLayout({
      architecture: resolved.architecture,
      pageSize,
      stackSize: resolved.stackSize,
      tlsSize: resolved.tlsSize,
    });
    const before = index * eventCount;
    policies.push(
      runPolicy({
        backend,
        policy: typeof policy === 'string' ? namedPolicy(policy, layout) : policy,
        workload,
        times,
        layout,
        architecture: resolved.architecture,
        touched: resolved.touched,
        vmarSize: resolved.vmarSize,
        probeSize: resolved.probeSize,
        samplePoints: points,
        verify: resolved.verify,
        onSample: resolved.onSample,
        onProgress: onProgress && ((done: number) => onProgress(before + done, total)),
      }),
    );
    onProgress?.(before + eventCount, total);
  }

  return {
    backend: backendName,
    architecture: resolved.architecture,
    pageSize,
    region,
    touched: resolved.touched,
    stackTopTouchedPages: resolved.touched === 'stack-top' ? STACK_TOP_TOUCHED_PAGES : null,
    vmarSize: resolved.vmarSize,
    probeSize: resolved.probeSize,
    workload:
      workload.pattern === 'trace'
        ? {
            threads: workload.threads,
            peak: workload.peak,
            pattern: workload.pattern,
            seed: resolved.seed,
            events: eventCount,
            peakEvent: workload.peakEvent + 1,
            trace: workload.trace,
            note: TRACE_REPLAY_NOTE,
          }
        : {
            threads: workload.threads,
            peak: workload.peak,
            pattern: workload.pattern,
            seed: workload.seed,
            events: eventCount,
            peakEvent: workload.peakEvent + 1,
          },
    threadLayout: {
      stackSize: resolved.stackSize,
      tlsSize: resolved.tlsSize,
      threadStructSize: THREAD_STRUCT_SIZE,
      blocks: (layout?.blocks ?? []).map(({ kind, size, guardBelow, guardAbove }) => ({
        kind,
        size,
        guardBelow,
        guardAbove,
      })),
    },
    pagingLevels: PAGING_LEVELS[resolved.architecture].map(({ name, coverage }) => ({
      name,
      coverage,
    })),
    policies,
  };
}

/**
 * `count` event counts spread evenly over the run, plus the peak's and the last: where samples
 * are taken. Ascending, without repeats.
 */
export function samplePoints(eventCount: number, peakEvent: number, count: number): number[] {
  const points = new Set<number>([peakEvent + 1, eventCount]);
  for (let step = 1; step <= count; step += 1) {
    points.add(Math.max(1, Math.round((step * eventCount) / count)));
  }
  return [...points].sort((left, right) => left - right);
}

/**
 * A trace's sample points: `count` spread evenly over the trace's own time (each after every event
 * of its moment, so that a sample never splits events of one time), plus the peak's and the last;
 * by events, as `samplePoints`, when the whole trace happens at one time. `times` never decrease.
 */
export function traceSamplePoints(times: Float64Array, peakEvent: number, count: number): number[] {
  const eventCount = times.length;
  const first = times[0] ?? 0;
  const last = times[eventCount - 1] ?? 0;
  if (!(last > first)) return samplePoints(eventCount, peakEvent, count);
  const points = new Set<number>([peakEvent + 1, eventCount]);
  let done = 0;
  for (let step = 1; step <= count; step += 1) {
    const until = first + ((last - first) * step) / count;
    while (done < eventCount && (times[done] as number) <= until) done += 1;
    points.add(Math.max(1, done));
  }
  return [...points].sort((left, right) => left - right);
}

function invalid(option: string, detail: string): WorkloadError {
  return new WorkloadError('INVALID_OPTION', `runWorkload option "${option}": ${detail}`, {
    option,
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function integer(
  option: string,
  value: unknown,
  fallback: number,
  minimum: number,
  maximum: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < minimum ||
    value > maximum
  ) {
    throw invalid(
      option,
      `expected an integer from ${String(minimum)} to ${String(maximum)}, got ${describe(value)}`,
    );
  }
  return value;
}

function pageMultiple(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value <= 0 ||
    value % PAGE_SIZE !== 0
  ) {
    throw invalid(
      option,
      `expected a positive multiple of the page size (${String(PAGE_SIZE)}), got ${describe(value)}`,
    );
  }
  return value;
}

function choice<const Choice extends string>(
  option: string,
  value: unknown,
  choices: readonly Choice[],
  fallback: Choice,
): Choice {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) {
    return value as Choice;
  }
  throw invalid(option, `expected one of ${choices.join(', ')}, got ${describe(value)}`);
}

function isBackend(value: unknown): value is AddressSpaceBackend {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AddressSpaceBackend).rootVmar === 'function' &&
    typeof (value as AddressSpaceBackend).createVmo === 'function'
  );
}

function resolvePolicies(
  value: unknown,
): readonly (NamedPolicyName | ThreadVmarPolicyDefinition)[] {
  if (value === undefined) return WORKLOAD_DEFAULTS.policies;
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('policies', `expected a non-empty array, got ${describe(value)}`);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown) => {
    let definition: NamedPolicyName | ThreadVmarPolicyDefinition;
    let name: string;
    if (typeof entry === 'string') {
      if (!isNamedPolicyName(entry)) {
        throw invalid(
          'policies',
          `expected one of ${NAMED_POLICY_NAMES.join(', ')} or a policy definition, got ${describe(entry)}`,
        );
      }
      definition = entry;
      name = entry;
    } else if (
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as ThreadVmarPolicyDefinition).name === 'string' &&
      (entry as ThreadVmarPolicyDefinition).name !== '' &&
      typeof (entry as ThreadVmarPolicyDefinition).create === 'function'
    ) {
      definition = entry as ThreadVmarPolicyDefinition;
      name = definition.name;
    } else {
      throw invalid(
        'policies',
        `expected a policy name or { name, create }, got ${describe(entry)}`,
      );
    }
    if (seen.has(name)) {
      throw invalid('policies', `"${name}" is listed twice`);
    }
    seen.add(name);
    return definition;
  });
}

/**
 * The `workload` option, checked so that the hot loop can trust it: each thread created once and
 * ended once after, `peak` the most alive at once, first reached after event `peakEvent`; and for
 * a trace, one time per event.
 */
function resolveWorkload(record: Record<string, unknown>): Workload | undefined {
  const value = record.workload;
  if (value === undefined) return undefined;
  for (const option of ['threads', 'peak', 'pattern'] as const) {
    if (record[option] !== undefined) {
      throw invalid(
        'workload',
        `cannot be given with "${option}": a prepared workload replaces the one they would generate`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(
      'workload',
      `expected a workload (generateWorkload, workloadFromTrace), got ${describe(value)}`,
    );
  }
  const workload = value as Record<string, unknown>;
  const { pattern, threads, peak, events, peakEvent } = workload;
  const isTrace = pattern === 'trace';
  if (!isTrace && !(WORKLOAD_PATTERNS as readonly unknown[]).includes(pattern)) {
    throw invalid(
      'workload',
      `expected pattern to be one of ${[...WORKLOAD_PATTERNS, 'trace'].join(', ')}, got ${describe(pattern)}`,
    );
  }
  if (
    typeof threads !== 'number' ||
    !Number.isSafeInteger(threads) ||
    threads < 1 ||
    threads > MAX_THREADS
  ) {
    throw invalid(
      'workload',
      `expected threads to be an integer from 1 to ${String(MAX_THREADS)}, got ${describe(threads)}`,
    );
  }
  if (!(events instanceof Int32Array) || events.length !== threads * 2) {
    throw invalid(
      'workload',
      `expected events to be an Int32Array of 2 × threads (${String(threads * 2)}) events`,
    );
  }
  checkEvents(events, threads, peak, peakEvent);
  if (isTrace) {
    const { times, trace } = workload;
    if (!(times instanceof Float64Array) || times.length !== events.length) {
      throw invalid(
        'workload',
        `expected times to be a Float64Array of one time per event (${String(events.length)})`,
      );
    }
    for (let index = 0; index < times.length; index += 1) {
      if (index > 0 && (times[index] as number) < (times[index - 1] as number)) {
        throw invalid(
          'workload',
          `expected times in the trace's order, never decreasing; event ${String(index)}'s time ${String(times[index])} comes after ${String(times[index - 1])}`,
        );
      }
      if (!Number.isFinite(times[index])) {
        throw invalid(
          'workload',
          `expected event ${String(index)}'s time to be finite, got ${String(times[index])}`,
        );
      }
    }
    if (
      typeof trace !== 'object' ||
      trace === null ||
      typeof (trace as { name?: unknown }).name !== 'string'
    ) {
      throw invalid(
        'workload',
        `expected trace to be workloadFromTrace's summary, got ${describe(trace)}`,
      );
    }
    return value as TraceWorkload;
  }
  if (record.seed !== undefined) {
    throw invalid(
      'workload',
      'cannot be given with "seed": a generated workload carries its own seed',
    );
  }
  const seed = workload.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw invalid(
      'workload',
      `expected seed to be an integer from 0 to 4294967295, got ${describe(seed)}`,
    );
  }
  return value as GeneratedWorkload;
}

/** One pass over the events: each thread starts once, then ends once; the peak is where it says. */
function checkEvents(events: Int32Array, threads: number, peak: unknown, peakEvent: unknown): void {
  const state = new Uint8Array(threads);
  let alive = 0;
  let most = 0;
  let mostEvent = -1;
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as number;
    const thread = event >= 0 ? event : ~event;
    const expected = event >= 0 ? 0 : 1;
    if (thread >= threads || state[thread] !== expected) {
      throw invalid(
        'workload',
        `event ${String(index)} ${event >= 0 ? 'starts' : 'ends'} thread ${String(thread)}, which is ${
          thread >= threads
            ? `out of range (threads: ${String(threads)})`
            : ['not started', 'alive', 'ended'][state[thread] as number]
        } (expected each thread to start once, then end once)`,
      );
    }
    state[thread] = expected + 1;
    alive += event >= 0 ? 1 : -1;
    if (alive > most) {
      most = alive;
      mostEvent = index;
    }
  }
  if (peak !== most || peakEvent !== mostEvent) {
    throw invalid(
      'workload',
      `expected peak ${describe(peak)} first reached after event ${describe(peakEvent)}; the events give ${String(most)} after event ${String(mostEvent)}`,
    );
  }
}

/** Checks every option, before anything runs; fills in the defaults. */
function resolveOptions(options: RunWorkloadOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new WorkloadError(
      'INVALID_OPTION',
      `runWorkload: expected an options object, got ${describe(options)}`,
    );
  }
  const unknown = unknownOptionKey(options, optionNames);
  if (unknown !== undefined) {
    throw invalid(unknown, `unknown option (expected one of ${[...optionNames].join(', ')})`);
  }
  const record = options as unknown as Record<string, unknown>;
  const policies = resolvePolicies(record.policies);

  const backend = record.backend;
  let makeBackend: () => AddressSpaceBackend;
  if (typeof backend === 'function') {
    makeBackend = backend as () => AddressSpaceBackend;
  } else if (isBackend(backend)) {
    if (policies.length > 1) {
      throw invalid(
        'backend',
        `one backend serves one policy; pass a factory (() => backend) to run ${String(policies.length)}`,
      );
    }
    makeBackend = () => backend;
  } else {
    throw invalid(
      'backend',
      `expected a backend or a function that makes one, got ${describe(backend)}`,
    );
  }

  const workload = resolveWorkload(record);
  const threads = integer('threads', record.threads, WORKLOAD_DEFAULTS.threads, 1, MAX_THREADS);
  const peak = integer('peak', record.peak, Math.min(WORKLOAD_DEFAULTS.peak, threads), 1, threads);
  const vmarSize = pageMultiple('vmarSize', record.vmarSize, WORKLOAD_DEFAULTS.vmarSize);
  const probeSize = pageMultiple('probeSize', record.probeSize, WORKLOAD_DEFAULTS.probeSize);
  if (probeSize > vmarSize) {
    throw invalid(
      'probeSize',
      `must not exceed vmarSize (${String(vmarSize)}), got ${String(probeSize)}`,
    );
  }
  const verify = record.verify ?? false;
  if (typeof verify !== 'boolean') {
    throw invalid('verify', `expected true or false, got ${describe(verify)}`);
  }
  const onProgress = record.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalid('onProgress', `expected a function, got ${describe(onProgress)}`);
  }
  const onSample = record.onSample;
  if (onSample !== undefined && typeof onSample !== 'function') {
    throw invalid('onSample', `expected a function, got ${describe(onSample)}`);
  }

  return {
    makeBackend,
    policies,
    architecture: choice(
      'architecture',
      record.architecture,
      ARCHITECTURES,
      WORKLOAD_DEFAULTS.architecture,
    ),
    workload,
    threads,
    peak,
    pattern: choice('pattern', record.pattern, WORKLOAD_PATTERNS, WORKLOAD_DEFAULTS.pattern),
    stackSize: pageMultiple('stackSize', record.stackSize, WORKLOAD_DEFAULTS.stackSize),
    tlsSize: integer(
      'tlsSize',
      record.tlsSize,
      WORKLOAD_DEFAULTS.tlsSize,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    vmarSize,
    probeSize,
    seed: integer('seed', record.seed, WORKLOAD_DEFAULTS.seed, 0, 2 ** 32 - 1),
    touched: choice('touched', record.touched, TOUCHED_PAGES, WORKLOAD_DEFAULTS.touched),
    samples: integer('samples', record.samples, WORKLOAD_DEFAULTS.samples, 1, MAX_SAMPLES),
    verify,
    onProgress: onProgress as ((done: number, total: number) => void) | undefined,
    onSample: onSample as SampleListener | undefined,
  };
}
