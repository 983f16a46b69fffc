// @ts-check
import koffi from 'koffi';

/** Linux x86-64 / arm64 / riscv64 values (asm-generic/mman-common.h, bits/mman-linux.h). */
const PROT_NONE = 0;
const MAP_PRIVATE = 0x02;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;

/** The flags of the reference reservation: like a VMAR, address space with nothing behind it. */
export const RESERVE_FLAGS = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
export const RESERVE_PROTECTION = PROT_NONE;

/**
 * @typedef {object} LinuxMmap
 * @property {(length: number) => number} reserve mmap(NULL, length, PROT_NONE,
 *   MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0); the address, or -1 on failure
 * @property {(address: number, length: number) => number} release munmap(address, length)
 */

/**
 * Binds `mmap` and `munmap` from glibc through koffi, or answers why it cannot (not Linux, no
 * libc.so.6). Addresses cross as `uintptr_t`; koffi gives them as numbers while they are safe
 * integers (user addresses are below 2^47), and MAP_FAILED (all ones) comes back as a BigInt.
 * @returns {{ ok: true, value: LinuxMmap } | { ok: false, reason: string }}
 */
export function loadLinuxMmap() {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  let libc;
  try {
    libc = koffi.load('libc.so.6');
  } catch (error) {
    return { ok: false, reason: `cannot load libc.so.6: ${String(error)}` };
  }
  const mmap = libc.func(
    'uintptr_t mmap(uintptr_t address, size_t length, int protection, int flags, int fd, intptr_t offset)',
  );
  const munmap = libc.func('int munmap(uintptr_t address, size_t length)');
  return {
    ok: true,
    value: {
      reserve(length) {
        const address = mmap(0, length, RESERVE_PROTECTION, RESERVE_FLAGS, -1, 0);
        return typeof address === 'number' ? address : -1;
      },
      release(address, length) {
        return munmap(address, length);
      },
    },
  };
}
