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

/** The calls a `CountingBackend` counts. */
export type CountedOperation =
  | 'rootVmar'
  | 'createVmo'
  | 'allocate'
  | 'map'
  | 'unmap'
  | 'protect'
  | 'destroy'
  | 'info'
  | 'maps'
  | 'duplicate'
  | 'basicInfo'
  | 'close';

/** A backend that counts the calls made through it. */
export interface CountingBackend extends AddressSpaceBackend {
  /** Calls of each operation so far (operations never called are absent). */
  counts(): Readonly<Partial<Record<CountedOperation, number>>>;
}

export function countingBackend(inner: AddressSpaceBackend): CountingBackend {
  const counts = new Map<CountedOperation, number>();
  const count = (operation: CountedOperation): void => {
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
  };
  // `map` receives handles this backend handed out, wrapped; the inner backend needs its own. A
  // caller may pass any handle where a VMO belongs (the inner backend must then answer
  // WRONG_TYPE, not BAD_HANDLE), so wrapped VMARs are looked up too.
  const innerHandles = new WeakMap<object, Vmo | Vmar>();

  const wrapVmo = (vmo: Vmo): Vmo => {
    const wrapped: Vmo = {
      type: 'vmo',
      handle: vmo.handle,
      duplicate(rights) {
        count('duplicate');
        const result = vmo.duplicate(rights);
        return result.ok ? ok(wrapVmo(result.value)) : result;
      },
      basicInfo() {
        count('basicInfo');
        return vmo.basicInfo();
      },
      close() {
        count('close');
        return vmo.close();
      },
      [Symbol.dispose]() {
        vmo[Symbol.dispose]();
      },
    };
    innerHandles.set(wrapped, vmo);
    return wrapped;
  };

  const wrapVmar = (vmar: Vmar): Vmar => {
    const wrapped: Vmar = {
      type: 'vmar',
      handle: vmar.handle,
      allocate(offset, size, flags): Result<AllocateResult> {
        count('allocate');
        const result = vmar.allocate(offset, size, flags);
        return result.ok
          ? ok({ vmar: wrapVmar(result.value.vmar), address: result.value.address })
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
      duplicate(rights) {
        count('duplicate');
        const result = vmar.duplicate(rights);
        return result.ok ? ok(wrapVmar(result.value)) : result;
      },
      basicInfo() {
        count('basicInfo');
        return vmar.basicInfo();
      },
      close() {
        count('close');
        return vmar.close();
      },
      [Symbol.dispose]() {
        vmar[Symbol.dispose]();
      },
    };
    innerHandles.set(wrapped, vmar);
    return wrapped;
  };

  return {
    specificationVersion: inner.specificationVersion,
    name: `counting(${inner.name})`,
    pageSize: inner.pageSize,
    rootVmar() {
      count('rootVmar');
      return wrapVmar(inner.rootVmar());
    },
    createVmo(size, options) {
      count('createVmo');
      const result = options === undefined ? inner.createVmo(size) : inner.createVmo(size, options);
      return result.ok ? ok(wrapVmo(result.value)) : result;
    },
    counts: () => Object.fromEntries(counts),
  };
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
