import {
  type AddressSpaceBackend,
  type AllocateResult,
  CONTRACT_VERSION,
  fail,
  type HandleBasicInfo,
  type MapsResult,
  ok,
  type Result,
  type Status,
  type Vmar,
  type VmarInfo,
  type Vmo,
} from '@vmars/address-space';

/** The calls a `FaultyBackend` counts and can make fail: every VMAR and VMO call of the contract. */
export type FaultOperation = Exclude<keyof Vmar, 'type' | 'handle' | symbol> | 'createVmo';

/**
 * A fault to inject: calls of `operation` that match answer `status` WITHOUT reaching the wrapped
 * backend (so nothing changes there, as when Zircon fails a call).
 */
export interface FaultRule {
  readonly operation: FaultOperation;
  readonly status: Status;
  /** Fail only the nth call of `operation` (1-based, counted over the whole backend from now on). */
  readonly nth?: number;
  /** Fail only calls whose arguments (and handle) this returns true for. */
  readonly when?: (call: FaultCall) => boolean;
  /** How many matching calls fail before the rule retires; default unlimited (or 1 with `nth`). */
  readonly times?: number;
}

/** What a rule's `when` sees of a call. */
export interface FaultCall {
  readonly operation: FaultOperation;
  /** The raw handle the call is made on (0 for `createVmo`). */
  readonly handle: number;
  readonly args: readonly unknown[];
}

/** A backend wrapper for tests that counts calls and makes chosen ones fail. */
export interface FaultyBackend extends AddressSpaceBackend {
  /** The wrapped backend. */
  readonly inner: AddressSpaceBackend;
  /** Adds a rule; counting for `nth` starts at the calls made after this. */
  inject(rule: FaultRule): void;
  /** Removes every rule. */
  clear(): void;
  /** Calls of `operation` made so far (failed ones included). */
  calls(operation: FaultOperation): number;
  /** How many calls were failed by a rule. */
  readonly injected: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  readonly startCount: number;
  remaining: number;
}

/** Answers a call with the status to fail it with, or undefined to let it through. */
type Fault = (
  operation: FaultOperation,
  handle: number,
  args: readonly unknown[],
) => Status | undefined;

/** The rules of one `FaultyBackend` and the counts they match against. */
class FaultRules {
  private readonly counts = new Map<FaultOperation, number>();
  private active: ActiveRule[] = [];
  injected = 0;

  inject(rule: FaultRule): void {
    const times = rule.times ?? (rule.nth === undefined ? Number.POSITIVE_INFINITY : 1);
    this.active.push({ rule, startCount: this.calls(rule.operation), remaining: times });
  }

  clear(): void {
    this.active = [];
  }

  calls(operation: FaultOperation): number {
    return this.counts.get(operation) ?? 0;
  }

  /** Counts the call and returns the status to fail it with, if a rule matches. */
  readonly fault: Fault = (operation, handle, args) => {
    const count = this.calls(operation) + 1;
    this.counts.set(operation, count);
    for (const entry of this.active) {
      const { rule } = entry;
      if (rule.operation !== operation || entry.remaining <= 0) continue;
      if (rule.nth !== undefined && count - entry.startCount !== rule.nth) continue;
      if (rule.when !== undefined && !rule.when({ operation, handle, args })) continue;
      entry.remaining -= 1;
      this.injected += 1;
      return rule.status;
    }
    return undefined;
  };
}

/**
 * What every wrapped handle does: `duplicate` (through `duplicate`, wrapping the copy), `basicInfo`
 * and `close`, each failed when a rule says so, else passed to `inner`; dispose always reaches
 * `inner`.
 */
function faultyHandleMethods<T extends Vmar | Vmo>(
  inner: T,
  duplicate: (rights: number) => Result<T>,
  fault: Fault,
  wrap: (handle: T) => T,
): Pick<T, 'handle' | 'basicInfo' | 'close' | typeof Symbol.dispose> & {
  duplicate(rights: number): Result<T>;
} {
  return {
    handle: inner.handle,
    duplicate(rights: number): Result<T> {
      const status = fault('duplicate', inner.handle, [rights]);
      if (status !== undefined) return fail(status);
      const result = duplicate(rights);
      return result.ok ? ok(wrap(result.value)) : result;
    },
    basicInfo(): Result<HandleBasicInfo> {
      const status = fault('basicInfo', inner.handle, []);
      return status === undefined ? inner.basicInfo() : fail(status);
    },
    close(): Status {
      return fault('close', inner.handle, []) ?? inner.close();
    },
    [Symbol.dispose](): void {
      inner[Symbol.dispose]();
    },
  };
}

/** Wraps VMO handles, remembering each wrapper's inner VMO for `map`. */
function faultyVmos(fault: Fault): { wrap: (vmo: Vmo) => Vmo; unwrap: (vmo: Vmo) => Vmo } {
  const innerVmos = new WeakMap<Vmo, Vmo>();
  const wrap = (vmo: Vmo): Vmo => {
    const wrapped: Vmo = {
      type: 'vmo',
      ...faultyHandleMethods(vmo, (rights) => vmo.duplicate(rights), fault, wrap),
    };
    innerVmos.set(wrapped, vmo);
    return wrapped;
  };
  return { wrap, unwrap: (vmo) => innerVmos.get(vmo) ?? vmo };
}

/** Wraps `vmar` so that each call is counted and may be failed; `unwrapVmo` undoes `faultyVmos`. */
function faultyVmar(vmar: Vmar, fault: Fault, unwrapVmo: (vmo: Vmo) => Vmo): Vmar {
  const wrap = (child: Vmar): Vmar => faultyVmar(child, fault, unwrapVmo);
  return {
    type: 'vmar',
    ...faultyHandleMethods(vmar, (rights) => vmar.duplicate(rights), fault, wrap),
    allocate(offset: number, size: number, flags: number): Result<AllocateResult> {
      const status = fault('allocate', vmar.handle, [offset, size, flags]);
      if (status !== undefined) return fail(status);
      const result = vmar.allocate(offset, size, flags);
      return result.ok
        ? ok({ vmar: wrap(result.value.vmar), address: result.value.address })
        : result;
    },
    map(flags: number, vmarOffset: number, vmo: Vmo, vmoOffset: number, length: number) {
      const status = fault('map', vmar.handle, [flags, vmarOffset, vmo, vmoOffset, length]);
      if (status !== undefined) return fail<number>(status);
      return vmar.map(flags, vmarOffset, unwrapVmo(vmo), vmoOffset, length);
    },
    unmap(address: number, length: number): Status {
      return fault('unmap', vmar.handle, [address, length]) ?? vmar.unmap(address, length);
    },
    protect(flags: number, address: number, length: number): Status {
      return (
        fault('protect', vmar.handle, [flags, address, length]) ??
        vmar.protect(flags, address, length)
      );
    },
    destroy(): Status {
      return fault('destroy', vmar.handle, []) ?? vmar.destroy();
    },
    info(): Result<VmarInfo> {
      const status = fault('info', vmar.handle, []);
      return status === undefined ? vmar.info() : fail(status);
    },
    maps(capacity: number): Result<MapsResult> {
      const status = fault('maps', vmar.handle, [capacity]);
      return status === undefined ? vmar.maps(capacity) : fail(status);
    },
  };
}

/**
 * Wraps `inner` so that chosen calls fail. Example: the 2nd allocate from now answers NO_MEMORY:
 * `faulty.inject({ operation: 'allocate', nth: 2, status: Status.NO_MEMORY })`.
 */
export function faultyBackend(
  inner: AddressSpaceBackend,
  rules: readonly FaultRule[] = [],
): FaultyBackend {
  const faults = new FaultRules();
  for (const rule of rules) faults.inject(rule);
  const vmos = faultyVmos(faults.fault);
  const root = faultyVmar(inner.rootVmar(), faults.fault, vmos.unwrap);
  return {
    specificationVersion: CONTRACT_VERSION,
    name: `faulty(${inner.name})`,
    pageSize: inner.pageSize,
    inner,
    rootVmar: () => root,
    createVmo(size: number, options?: number): Result<Vmo> {
      const status = faults.fault('createVmo', 0, [size, options]);
      if (status !== undefined) return fail(status);
      const result = inner.createVmo(size, options);
      return result.ok ? ok(vmos.wrap(result.value)) : result;
    },
    inject: (rule) => faults.inject(rule),
    clear: () => faults.clear(),
    calls: (operation) => faults.calls(operation),
    get injected() {
      return faults.injected;
    },
  };
}
