import type {
  AllocateResult,
  HandleBasicInfo,
  MapsResult,
  Result,
  Status,
  Vmar,
  VmarInfo,
  Vmo,
} from '@vmars/address-space';
import { VmarFlags } from '@vmars/address-space';
import { PROBE_FLAGS } from '@vmars/compact-vmar';

/** Calls seen by `countingVmar` handles. */
export interface VmarCallCounts {
  /** `allocate` calls with exactly the probe's flags (CAN_MAP_READ, 0x80): `CompactVmar.probe`. */
  probes: number;
  /** Of those, the ones that found no room. */
  failedProbes: number;
}

/**
 * Wraps a VMAR handle so that it, and every COMPACT VMAR allocated through it, counts probes. This
 * is how the engine sees how many probes `GrowableVmars` makes per thread creation without
 * reaching into it: the compact VMARs are allocated from the wrapped root, so their handles are
 * wrapped too. Other children (a probe's, libc's blocks) are returned as they are: nothing probes
 * through them, and a wrapper per allocation would cost the hot loop. Every call is passed through
 * unchanged.
 */
export function countingVmar(inner: Vmar, counts: VmarCallCounts): Vmar {
  return new CountingVmar(inner, counts);
}

class CountingVmar implements Vmar {
  readonly type = 'vmar';
  readonly #inner: Vmar;
  readonly #counts: VmarCallCounts;

  constructor(inner: Vmar, counts: VmarCallCounts) {
    this.#inner = inner;
    this.#counts = counts;
  }

  get handle(): number {
    return this.#inner.handle;
  }

  allocate(offset: number, size: number, flags: number): Result<AllocateResult> {
    const result = this.#inner.allocate(offset, size, flags);
    if (flags === PROBE_FLAGS) {
      this.#counts.probes += 1;
      if (!result.ok) this.#counts.failedProbes += 1;
    }
    if (!result.ok || (flags & VmarFlags.COMPACT) === 0) return result;
    return {
      ok: true,
      value: {
        vmar: new CountingVmar(result.value.vmar, this.#counts),
        address: result.value.address,
      },
    };
  }

  map(
    flags: number,
    vmarOffset: number,
    vmo: Vmo,
    vmoOffset: number,
    length: number,
  ): Result<number> {
    return this.#inner.map(flags, vmarOffset, vmo, vmoOffset, length);
  }

  unmap(address: number, length: number): Status {
    return this.#inner.unmap(address, length);
  }

  protect(flags: number, address: number, length: number): Status {
    return this.#inner.protect(flags, address, length);
  }

  destroy(): Status {
    return this.#inner.destroy();
  }

  basicInfo(): Result<HandleBasicInfo> {
    return this.#inner.basicInfo();
  }

  info(): Result<VmarInfo> {
    return this.#inner.info();
  }

  maps(capacity: number): Result<MapsResult> {
    return this.#inner.maps(capacity);
  }

  duplicate(rights: number): Result<Vmar> {
    const result = this.#inner.duplicate(rights);
    return result.ok ? { ok: true, value: new CountingVmar(result.value, this.#counts) } : result;
  }

  close(): Status {
    return this.#inner.close();
  }

  [Symbol.dispose](): void {
    this.#inner[Symbol.dispose]();
  }
}
