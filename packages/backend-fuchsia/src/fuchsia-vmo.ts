import { fail, ok, type Result, type Vmo } from '@vmars/address-space';
import { FuchsiaHandle } from './fuchsia-handle.js';

/** A VMO handle owned by a `fuchsiaBackend()`: `zx_handle_t` plus the calls on it. */
export class FuchsiaVmo extends FuchsiaHandle implements Vmo {
  readonly type = 'vmo' as const;

  duplicate(rights: number): Result<Vmo> {
    const result = this.duplicateRaw(rights);
    return result.ok ? ok(new FuchsiaVmo(this.session, result.handle)) : fail(result.status);
  }
}
