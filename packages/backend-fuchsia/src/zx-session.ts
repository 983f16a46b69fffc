import type { ZxLibrary } from './zx-library.js';

/**
 * The state one backend shares with its handles: the bound library and one-element arrays the
 * C side writes out-parameters into (JS is single-threaded and each call reads them at once, so
 * one set per backend is enough).
 */
export interface ZxSession {
  readonly zx: ZxLibrary;
  readonly handleOut: Uint32Array;
  readonly addressOut: BigUint64Array;
  readonly actualOut: BigUint64Array;
  readonly availOut: BigUint64Array;
}

export function createSession(zx: ZxLibrary): ZxSession {
  return {
    zx,
    handleOut: new Uint32Array(1),
    addressOut: new BigUint64Array(1),
    actualOut: new BigUint64Array(1),
    availOut: new BigUint64Array(1),
  };
}
