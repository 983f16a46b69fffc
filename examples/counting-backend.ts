/**
 * A backend wrapper of your own: it passes every call to the backend it wraps and counts the
 * calls, per operation. Such a wrapper must keep the contract exactly (handles, statuses, the
 * VMOs it hands out being the ones `map` takes back), which is what the conformance suite of
 * `@vmars/testing` checks: see `counting-backend.test.ts` beside this file.
 *
 *   node dist/counting-backend.js     # counts the calls of one ThreadCreateVmars probe round
 */
import {
  type AddressSpaceBackend,
  type AllocateResult,
  ok,
  type Result,
  type Vmar,
  type Vmo,
} from '@vmars/address-space';

/** The calls a `CountingBackend` counts: the backend's own two, and every method of a VMAR. */
export type CountedOperation =
  | 'rootVmar'
  | 'createVmo'
  | Exclude<keyof Vmar, 'type' | 'handle' | symbol>;

/** A backend that counts the calls made through it. */
export interface CountingBackend extends AddressSpaceBackend {
  /** Calls of each operation so far (operations never called are absent). */
  counts(): Readonly<Partial<Record<CountedOperation, number>>>;
}

/** What the wrappers of one backend share: the counter, and each wrapper's inner handle. */
interface Wrapping {
  readonly count: (operation: CountedOperation) => void;
  // `map` receives handles this backend handed out, wrapped; the inner backend needs its own. A
  // caller may pass any handle where a VMO belongs (the inner backend must then answer
  // WRONG_TYPE, not BAD_HANDLE), so wrapped VMARs are looked up too.
  readonly innerHandles: WeakMap<object, Vmo | Vmar>;
}

export function countingBackend(inner: AddressSpaceBackend): CountingBackend {
  const counts = new Map<CountedOperation, number>();
  const wrapping: Wrapping = {
    count: (operation) => counts.set(operation, (counts.get(operation) ?? 0) + 1),
    innerHandles: new WeakMap(),
  };
  return {
    specificationVersion: inner.specificationVersion,
    name: `counting(${inner.name})`,
    pageSize: inner.pageSize,
    rootVmar() {
      wrapping.count('rootVmar');
      return countingVmar(inner.rootVmar(), wrapping);
    },
    createVmo(size, options) {
      wrapping.count('createVmo');
      const result = options === undefined ? inner.createVmo(size) : inner.createVmo(size, options);
      return result.ok ? ok(countingVmo(result.value, wrapping)) : result;
    },
    counts: () => Object.fromEntries(counts),
  };
}

/** The calls every handle has, counted and passed on; a duplicate comes back wrapped by `wrap`. */
function countingHandle<T extends Vmar | Vmo>(
  handle: T,
  { count }: Wrapping,
  duplicate: (rights: number) => Result<T>,
  wrap: (handle: T) => T,
) {
  return {
    handle: handle.handle,
    duplicate(rights: number): Result<T> {
      count('duplicate');
      const result = duplicate(rights);
      return result.ok ? ok(wrap(result.value)) : result;
    },
    basicInfo() {
      count('basicInfo');
      return handle.basicInfo();
    },
    close() {
      count('close');
      return handle.close();
    },
    [Symbol.dispose]() {
      handle[Symbol.dispose]();
    },
  };
}

function countingVmo(vmo: Vmo, wrapping: Wrapping): Vmo {
  const wrap = (copy: Vmo) => countingVmo(copy, wrapping);
  const wrapped: Vmo = {
    type: 'vmo',
    ...countingHandle(vmo, wrapping, (rights) => vmo.duplicate(rights), wrap),
  };
  wrapping.innerHandles.set(wrapped, vmo);
  return wrapped;
}

function countingVmar(vmar: Vmar, wrapping: Wrapping): Vmar {
  const { count, innerHandles } = wrapping;
  const wrap = (child: Vmar) => countingVmar(child, wrapping);
  const wrapped: Vmar = {
    type: 'vmar',
    ...countingHandle(vmar, wrapping, (rights) => vmar.duplicate(rights), wrap),
    allocate(offset, size, flags): Result<AllocateResult> {
      count('allocate');
      const result = vmar.allocate(offset, size, flags);
      return result.ok
        ? ok({ vmar: wrap(result.value.vmar), address: result.value.address })
        : result;
    },
    map(flags, vmarOffset, vmo, vmoOffset, length) {
      count('map');
      const innerVmo = (innerHandles.get(vmo) ?? vmo) as Vmo;
      return vmar.map(flags, vmarOffset, innerVmo, vmoOffset, length);
    },
    unmap(address, length) {
      count('unmap');
      return vmar.unmap(address, length);
    },
    protect(flags, address, length) {
      count('protect');
      return vmar.protect(flags, address, length);
    },
    destroy() {
      count('destroy');
      return vmar.destroy();
    },
    info() {
      count('info');
      return vmar.info();
    },
    maps(capacity) {
      count('maps');
      return vmar.maps(capacity);
    },
  };
  innerHandles.set(wrapped, vmar);
  return wrapped;
}

// Run as a program (not when the test imports it): one probe round of ThreadCreateVmars, counted.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { memoryBackend } = await import('@vmars/backend-memory');
  const { ThreadCreateVmars } = await import('@vmars/growable-vmars');
  const backend = countingBackend(memoryBackend({ region: 'shared', seed: 1 }));
  using vmars = new ThreadCreateVmars(backend.rootVmar());
  vmars.machineStack.probe();
  vmars.securityStack.probe();
  vmars.threadBlock.probe();
  console.log(JSON.stringify(backend.counts()));
}
