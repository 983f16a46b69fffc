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

/** The calls a `FaultyBackend` counts and can make fail. */
export type FaultOperation =
  | 'allocate'
  | 'map'
  | 'unmap'
  | 'protect'
  | 'destroy'
  | 'info'
  | 'maps'
  | 'duplicate'
  | 'basicInfo'
  | 'close'
  | 'createVmo';

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

/**
 * Wraps `inner` so that chosen calls fail. Example: the 2nd allocate from now answers NO_MEMORY:
 * `faulty.inject({ operation: 'allocate', nth: 2, status: Status.NO_MEMORY })`.
 */
export function faultyBackend(
  inner: AddressSpaceBackend,
  rules: readonly FaultRule[] = [],
): FaultyBackend {
  const counts = new Map<FaultOperation, number>();
  let active: ActiveRule[] = [];
  let injected = 0;
  const innerVmos = new WeakMap<Vmo, Vmo>();

  const inject = (rule: FaultRule): void => {
    const times = rule.times ?? (rule.nth === undefined ? Number.POSITIVE_INFINITY : 1);
    active.push({ rule, startCount: counts.get(rule.operation) ?? 0, remaining: times });
  };
  for (const rule of rules) inject(rule);

  /** Counts the call and returns the status to fail it with, if a rule matches. */
  const fault = (operation: FaultOperation, handle: number, args: readonly unknown[]) => {
    const count = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, count);
    for (const entry of active) {
      const { rule } = entry;
      if (rule.operation !== operation || entry.remaining <= 0) continue;
      if (rule.nth !== undefined && count - entry.startCount !== rule.nth) continue;
      if (rule.when !== undefined && !rule.when({ operation, handle, args })) continue;
      entry.remaining -= 1;
      injected += 1;
      return rule.status;
    }
    return undefined;
  };

  const wrapVmo = (vmo: Vmo): Vmo => {
    const wrapped: Vmo = {
      type: 'vmo',
      handle: vmo.handle,
      duplicate(rights: number): Result<Vmo> {
        const status = fault('duplicate', vmo.handle, [rights]);
        if (status !== undefined) return fail(status);
        const result = vmo.duplicate(rights);
        return result.ok ? ok(wrapVmo(result.value)) : result;
      },
      basicInfo(): Result<HandleBasicInfo> {
        const status = fault('basicInfo', vmo.handle, []);
        return status === undefined ? vmo.basicInfo() : fail(status);
      },
      close(): Status {
        return fault('close', vmo.handle, []) ?? vmo.close();
      },
      [Symbol.dispose](): void {
        vmo[Symbol.dispose]();
      },
    };
    innerVmos.set(wrapped, vmo);
    return wrapped;
  };

  const wrapVmar = (vmar: Vmar): Vmar => ({
    type: 'vmar',
    handle: vmar.handle,
    allocate(offset: number, size: number, flags: number): Result<AllocateResult> {
      const status = fault('allocate', vmar.handle, [offset, size, flags]);
      if (status !== undefined) return fail(status);
      const result = vmar.allocate(offset, size, flags);
      return result.ok
        ? ok({ vmar: wrapVmar(result.value.vmar), address: result.value.address })
        : result;
    },
    map(flags: number, vmarOffset: number, vmo: Vmo, vmoOffset: number, length: number) {
      const status = fault('map', vmar.handle, [flags, vmarOffset, vmo, vmoOffset, length]);
      if (status !== undefined) return fail<number>(status);
      return vmar.map(flags, vmarOffset, innerVmos.get(vmo) ?? vmo, vmoOffset, length);
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
    duplicate(rights: number): Result<Vmar> {
      const status = fault('duplicate', vmar.handle, [rights]);
      if (status !== undefined) return fail(status);
      const result = vmar.duplicate(rights);
      return result.ok ? ok(wrapVmar(result.value)) : result;
    },
    basicInfo(): Result<HandleBasicInfo> {
      const status = fault('basicInfo', vmar.handle, []);
      return status === undefined ? vmar.basicInfo() : fail(status);
    },
    close(): Status {
      return fault('close', vmar.handle, []) ?? vmar.close();
    },
    [Symbol.dispose](): void {
      vmar[Symbol.dispose]();
    },
  });

  const root = wrapVmar(inner.rootVmar());

  return {
    specificationVersion: CONTRACT_VERSION,
    name: `faulty(${inner.name})`,
    pageSize: inner.pageSize,
    inner,
    rootVmar: () => root,
    createVmo(size: number, options?: number): Result<Vmo> {
      const status = fault('createVmo', 0, [size, options]);
      if (status !== undefined) return fail(status);
      const result = inner.createVmo(size, options);
      return result.ok ? ok(wrapVmo(result.value)) : result;
    },
    inject,
    clear(): void {
      active = [];
    },
    calls: (operation) => counts.get(operation) ?? 0,
    get injected() {
      return injected;
    },
  };
}
