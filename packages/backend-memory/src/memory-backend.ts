import {
  type AddressSpaceBackend,
  type Architecture,
  CONTRACT_VERSION,
  DEFAULT_VMO_RIGHTS,
  isArchitecture,
  PAGE_SIZE,
  type Result,
  Rights,
  Status,
  unknownOptionKey,
  type Vmar,
  type Vmo,
  VmoOptions,
  ZxError,
} from '@vmars/address-space';
import {
  type AddressSpaceRegion,
  addressSpaceLayout,
  isAddressSpaceRegion,
} from './address-space-layout.js';
import { AddressSpaceState } from './address-space-state.js';
import { failure } from './failure-results.js';
import { MemoryVmar } from './memory-vmar.js';
import { MemoryVmo } from './memory-vmo.js';
import { isUint32, isUint64 } from './validate-arguments.js';
import { VmoObject } from './vmo-object.js';

/** Options of `memoryBackend()`. */
export interface MemoryBackendOptions {
  /** The layout of which CPU (§6.1). Default `'x86_64'`. */
  readonly arch?: Architecture;
  /**
   * The root VMAR: `'process'` (default) = a normal process's whole user aspace (§6.1);
   * `'shared'` = the Starnix shared region (§6.2), what `zx_vmar_root_self()` gives in Starnix.
   */
  readonly region?: AddressSpaceRegion;
  /** Seed of the placement PRNG (a non-negative safe integer). Default: a random seed. */
  readonly seed?: number;
  /** ASLR on (default). Off means first fit everywhere, as with the boot option `aslr.disable` (§3.4). */
  readonly aslr?: boolean;
  /** Entropy bits of placements in non-COMPACT VMARs, 0..36. Default 30, the kernel's (§3.4). */
  readonly entropyBits?: number;
  /**
   * Entropy bits of placements in COMPACT VMARs, 0..36. Default 0 (first fit), the current
   * kernel; 8 emulates the older kernel (§3.4).
   */
  readonly compactEntropyBits?: number;
}

/** The memory backend: the contract plus what it was built with and a handle census. */
export interface MemoryBackend extends AddressSpaceBackend {
  readonly arch: Architecture;
  readonly region: AddressSpaceRegion;
  /** The seed in use (the given one, or the random one chosen), so that a run can be replayed. */
  readonly seed: number;
  readonly aslr: boolean;
  readonly entropyBits: number;
  readonly compactEntropyBits: number;
  /** Handles of this backend not yet closed, the root VMAR's included. */
  openHandleCount(): number;
}

/** The options `zx_vmo_create` takes (§11.1); any other bit is INVALID_ARGS. */
const KNOWN_VMO_OPTIONS = VmoOptions.RESIZABLE | VmoOptions.DISCARDABLE | VmoOptions.UNBOUNDED;
/** The rights of the root VMAR handle: default VMAR rights plus READ, WRITE, EXECUTE (§1.2). */
const ROOT_VMAR_RIGHTS = 0x20801f;
/** Entropy bits the kernel accepts: `min(aslr.entropy_bits, 36)` (§3.4). */
const MAX_ENTROPY_BITS = 36;

const KNOWN_OPTIONS = new Set([
  'arch',
  'region',
  'seed',
  'aslr',
  'entropyBits',
  'compactEntropyBits',
]);

function invalidOption(detail: string): ZxError {
  return new ZxError(Status.INVALID_ARGS, 'memoryBackend', { detail });
}

function entropyOption(
  options: MemoryBackendOptions,
  key: 'entropyBits' | 'compactEntropyBits',
  fallback: number,
): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_ENTROPY_BITS) {
    throw invalidOption(
      `${key} must be an integer from 0 to ${MAX_ENTROPY_BITS}, got ${String(value)}`,
    );
  }
  return value;
}

class MemoryAddressSpaceBackend implements MemoryBackend {
  readonly specificationVersion = CONTRACT_VERSION;
  readonly name = 'memory';
  readonly pageSize = PAGE_SIZE;
  readonly arch: Architecture;
  readonly region: AddressSpaceRegion;
  readonly seed: number;
  readonly aslr: boolean;
  readonly entropyBits: number;
  readonly compactEntropyBits: number;
  readonly #space: AddressSpaceState;
  readonly #root: MemoryVmar;

  constructor(
    arch: Architecture,
    region: AddressSpaceRegion,
    seed: number,
    aslr: boolean,
    entropyBits: number,
    compactEntropyBits: number,
  ) {
    this.arch = arch;
    this.region = region;
    this.seed = seed;
    this.aslr = aslr;
    this.entropyBits = entropyBits;
    this.compactEntropyBits = compactEntropyBits;
    this.#space = new AddressSpaceState({
      layout: addressSpaceLayout(arch, region),
      seed,
      aslr,
      entropyBits,
      compactEntropyBits,
    });
    this.#root = new MemoryVmar(
      this.#space,
      this.#space.root,
      ROOT_VMAR_RIGHTS,
      this.#space.newKoid(),
    );
  }

  rootVmar(): Vmar {
    return this.#root;
  }

  /**
   * `zx_vmo_create` (§11.1): `options` outside `[0, 2^32)` or `size` not a non-negative safe
   * integer → INVALID_ARGS (a JavaScript-only check); RESIZABLE with UNBOUNDED → INVALID_ARGS;
   * other option bits → INVALID_ARGS. The size is not kept: no VMAR rule reads it (mapping past
   * a VMO's end is allowed, §11.2).
   */
  createVmo(size: number, options = 0): Result<Vmo> {
    if (!isUint64(size) || !isUint32(options)) return failure(Status.INVALID_ARGS);
    if ((options & VmoOptions.RESIZABLE) !== 0 && (options & VmoOptions.UNBOUNDED) !== 0) {
      return failure(Status.INVALID_ARGS);
    }
    // Between these two checks Zircon answers OUT_OF_RANGE for a size that rounds up past
    // MAX_SIZE = 2^64 - 2^16, and after them for an UNBOUNDED stream size above the VMO's
    // (MAX_SIZE): a safe integer is below both, so neither can happen here.
    if ((options & ~KNOWN_VMO_OPTIONS) !== 0) {
      return failure(Status.INVALID_ARGS);
    }
    const space = this.#space;
    const rights =
      DEFAULT_VMO_RIGHTS | ((options & VmoOptions.RESIZABLE) !== 0 ? Rights.RESIZE : 0);
    const object = new VmoObject(space.newKoid(), options);
    return { ok: true, value: new MemoryVmo(space, object, rights) };
  }

  openHandleCount(): number {
    return this.#space.openHandles;
  }
}

/**
 * A backend that emulates Zircon's VMAR rules in-process (see the README). Throws a `ZxError`
 * (INVALID_ARGS, operation `'memoryBackend'`) for invalid options.
 */
export function memoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(`options must be an object, got ${String(options)}`);
  }
  const unknown = unknownOptionKey(options, KNOWN_OPTIONS);
  if (unknown !== undefined) throw invalidOption(`unknown option '${unknown}'`);
  const arch = options.arch ?? 'x86_64';
  if (!isArchitecture(arch)) {
    throw invalidOption(`arch must be 'x86_64', 'arm64' or 'riscv64', got ${String(arch)}`);
  }
  const region = options.region ?? 'process';
  if (!isAddressSpaceRegion(region)) {
    throw invalidOption(`region must be 'process' or 'shared', got ${String(region)}`);
  }
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw invalidOption(`seed must be a non-negative safe integer, got ${String(seed)}`);
  }
  const aslr = options.aslr ?? true;
  if (typeof aslr !== 'boolean') {
    throw invalidOption(`aslr must be a boolean, got ${String(aslr)}`);
  }
  const entropyBits = entropyOption(options, 'entropyBits', 30);
  const compactEntropyBits = entropyOption(options, 'compactEntropyBits', 0);
  return new MemoryAddressSpaceBackend(arch, region, seed, aslr, entropyBits, compactEntropyBits);
}
