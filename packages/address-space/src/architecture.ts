/**
 * The CPU architectures Fuchsia user space runs on (semantics §6.1): each has its own user
 * address-space layout and paging structures.
 */
export type Architecture = 'x86_64' | 'arm64' | 'riscv64';

/** Every `Architecture`, in the order reports list them. */
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64', 'riscv64'];

/** True when `value` names an `Architecture`. */
export function isArchitecture(value: unknown): value is Architecture {
  return value === 'x86_64' || value === 'arm64' || value === 'riscv64';
}
