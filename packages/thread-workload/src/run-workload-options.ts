import {
  type AddressSpaceBackend,
  ARCHITECTURES,
  type Architecture,
  describeValue,
  PAGE_SIZE,
  unknownOptionKey,
} from '@vmars/address-space';
import type { SampleListener } from './live-blocks.js';
import { invalidOption } from './option-error.js';
import {
  isNamedPolicyName,
  NAMED_POLICY_NAMES,
  type NamedPolicyName,
} from './policies/named-policies.js';
import type { ThreadVmarPolicyDefinition } from './thread-vmar-policy.js';
import { TOUCHED_PAGES, type TouchedPages } from './touched-ranges.js';
import { WORKLOAD_PATTERNS, type Workload, type WorkloadPattern } from './workload.js';
import { MAX_SAMPLES, MAX_THREADS, WORKLOAD_DEFAULTS } from './workload-defaults.js';
import { WorkloadError } from './workload-error.js';
import { resolveWorkload } from './workload-option.js';

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

/** The name of one of `runWorkload`'s options. */
type OptionName = keyof RunWorkloadOptions;

/**
 * Checks one option's value and answers it with its default filled in; throws `WorkloadError`
 * `INVALID_OPTION` naming it. `given` is every option as given; `checked` holds the options the
 * table checked before this one, for the checks that depend on another (`peak` on `threads`).
 */
type OptionCheck = (
  value: unknown,
  given: Readonly<Record<string, unknown>>,
  checked: Readonly<Partial<Record<OptionName, unknown>>>,
) => unknown;

/**
 * Every option's check, in the order they run (an option's dependencies come before it); the
 * option names are this table's keys.
 */
const OPTION_CHECKS = {
  policies: resolvePolicies,
  // A factory, called once per policy; a backend itself is wrapped in one.
  backend: (value, _given, checked): (() => AddressSpaceBackend) => {
    if (typeof value === 'function') return value as () => AddressSpaceBackend;
    if (!isBackend(value)) {
      throw invalidOption(
        'backend',
        `expected a backend or a function that makes one, got ${describeValue(value)}`,
      );
    }
    const policyCount = (checked.policies as readonly unknown[]).length;
    if (policyCount > 1) {
      throw invalidOption(
        'backend',
        `one backend serves one policy; pass a factory (() => backend) to run ${String(policyCount)}`,
      );
    }
    return () => value;
  },
  workload: (value, given) => resolveWorkload(value, given),
  threads: (value) => integer('threads', value, WORKLOAD_DEFAULTS.threads, 1, MAX_THREADS),
  peak: (value, _given, checked) => {
    const threads = checked.threads as number;
    return integer('peak', value, Math.min(WORKLOAD_DEFAULTS.peak, threads), 1, threads);
  },
  vmarSize: (value) => pageMultiple('vmarSize', value, WORKLOAD_DEFAULTS.vmarSize),
  probeSize: (value, _given, checked) => {
    const vmarSize = checked.vmarSize as number;
    const probeSize = pageMultiple('probeSize', value, WORKLOAD_DEFAULTS.probeSize);
    if (probeSize > vmarSize) {
      throw invalidOption(
        'probeSize',
        `must not exceed vmarSize (${String(vmarSize)}), got ${String(probeSize)}`,
      );
    }
    return probeSize;
  },
  verify: (value): boolean => {
    const verify = value ?? false;
    if (typeof verify !== 'boolean') {
      throw invalidOption('verify', `expected true or false, got ${describeValue(verify)}`);
    }
    return verify;
  },
  onProgress: (value) =>
    optionalFunction<(done: number, total: number) => void>('onProgress', value),
  onSample: (value) => optionalFunction<SampleListener>('onSample', value),
  architecture: (value): Architecture =>
    choice('architecture', value, ARCHITECTURES, WORKLOAD_DEFAULTS.architecture),
  pattern: (value): WorkloadPattern =>
    choice('pattern', value, WORKLOAD_PATTERNS, WORKLOAD_DEFAULTS.pattern),
  stackSize: (value) => pageMultiple('stackSize', value, WORKLOAD_DEFAULTS.stackSize),
  tlsSize: (value) =>
    integer('tlsSize', value, WORKLOAD_DEFAULTS.tlsSize, 0, Number.MAX_SAFE_INTEGER),
  seed: (value) => integer('seed', value, WORKLOAD_DEFAULTS.seed, 0, 2 ** 32 - 1),
  touched: (value): TouchedPages =>
    choice('touched', value, TOUCHED_PAGES, WORKLOAD_DEFAULTS.touched),
  samples: (value) => integer('samples', value, WORKLOAD_DEFAULTS.samples, 1, MAX_SAMPLES),
} satisfies Record<OptionName, OptionCheck>;

/** `runWorkload`'s option names, in the order they are checked. */
const OPTION_NAMES = Object.keys(OPTION_CHECKS) as readonly OptionName[];

/**
 * `RunWorkloadOptions`, checked, with the defaults filled in. `backend` is always a factory;
 * `workload` is `undefined` when one is to be generated from threads, peak, pattern and seed;
 * `policies` keeps names, bound to their definitions per run once the backend's page size gives
 * the layout.
 */
export type ResolvedOptions = {
  readonly [Name in OptionName]: ReturnType<(typeof OPTION_CHECKS)[Name]>;
};

/** Checks every option, before anything runs; fills in the defaults. */
export function resolveOptions(options: RunWorkloadOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new WorkloadError(
      'INVALID_OPTION',
      `runWorkload: expected an options object, got ${describeValue(options)}`,
    );
  }
  const unknown = unknownOptionKey(options, OPTION_NAMES);
  if (unknown !== undefined) {
    throw invalidOption(unknown, `unknown option (expected one of ${OPTION_NAMES.join(', ')})`);
  }
  const given = options as unknown as Readonly<Record<string, unknown>>;
  const checked: Partial<Record<OptionName, unknown>> = {};
  for (const name of OPTION_NAMES) {
    const check: OptionCheck = OPTION_CHECKS[name];
    checked[name] = check(given[name], given, checked);
  }
  return checked as ResolvedOptions;
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
    throw invalidOption(
      option,
      `expected an integer from ${String(minimum)} to ${String(maximum)}, got ${describeValue(value)}`,
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
    throw invalidOption(
      option,
      `expected a positive multiple of the page size (${String(PAGE_SIZE)}), got ${describeValue(value)}`,
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
  throw invalidOption(option, `expected one of ${choices.join(', ')}, got ${describeValue(value)}`);
}

function optionalFunction<Listener>(option: string, value: unknown): Listener | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw invalidOption(option, `expected a function, got ${describeValue(value)}`);
  }
  return value as Listener | undefined;
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
    throw invalidOption('policies', `expected a non-empty array, got ${describeValue(value)}`);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown) => {
    const definition = policyEntry(entry);
    const name = typeof definition === 'string' ? definition : definition.name;
    if (seen.has(name)) throw invalidOption('policies', `"${name}" is listed twice`);
    seen.add(name);
    return definition;
  });
}

/** One entry of `policies`: a built-in policy's name or a caller's `{ name, create }`. */
function policyEntry(entry: unknown): NamedPolicyName | ThreadVmarPolicyDefinition {
  if (typeof entry === 'string') {
    if (isNamedPolicyName(entry)) return entry;
    throw invalidOption(
      'policies',
      `expected one of ${NAMED_POLICY_NAMES.join(', ')} or a policy definition, got ${describeValue(entry)}`,
    );
  }
  if (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as ThreadVmarPolicyDefinition).name === 'string' &&
    (entry as ThreadVmarPolicyDefinition).name !== '' &&
    typeof (entry as ThreadVmarPolicyDefinition).create === 'function'
  ) {
    return entry as ThreadVmarPolicyDefinition;
  }
  throw invalidOption(
    'policies',
    `expected a policy name or { name, create }, got ${describeValue(entry)}`,
  );
}
