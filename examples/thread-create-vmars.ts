/**
 * Starnix's thread-VMAR policy, called directly: `ThreadCreateVmars` probes its three lists for a
 * new thread's machine stack, security stack and thread block, each a 1 GiB compact VMAR with
 * room for 32 MiB. Only `@vmars/growable-vmars` and a backend are imported (a selective install:
 * `npm install @vmars/growable-vmars @vmars/backend-memory`).
 *
 *   node dist/thread-create-vmars.js              # the memory backend: Zircon's rules emulated
 *   node dist/thread-create-vmars.js --fuchsia    # the real zx syscalls, on Fuchsia only
 *
 * Off Fuchsia, `--fuchsia` prints what the backend looked for and why it is not there, on one
 * line of stderr, and exits with status 3: `fuchsiaBackend()` throws one typed error,
 * `FuchsiaUnavailableError`, before anything is allocated.
 */
import { parseArgs } from 'node:util';
import type { AddressSpaceBackend } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { ThreadCreateVmars } from '@vmars/growable-vmars';

const EXIT_UNAVAILABLE = 3;

async function pickBackend(fuchsia: boolean): Promise<AddressSpaceBackend> {
  if (!fuchsia) return memoryBackend({ region: 'shared', seed: 1 });
  // Imported only when asked for, so that the memory path never loads the FFI.
  const { fuchsiaBackend } = await import('@vmars/backend-fuchsia');
  return fuchsiaBackend();
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { fuchsia: { type: 'boolean', default: false } } });
  let backend: AddressSpaceBackend;
  try {
    backend = await pickBackend(values.fuchsia);
  } catch (error) {
    const { FuchsiaUnavailableError } = await import('@vmars/backend-fuchsia');
    if (!FuchsiaUnavailableError.isInstance(error)) throw error;
    console.error(`the Fuchsia backend is not available here (${error.reason}): ${error.message}`);
    return EXIT_UNAVAILABLE;
  }

  using vmars = new ThreadCreateVmars(backend.rootVmar());
  const lists = [
    ['machine stack', vmars.machineStack],
    ['security stack', vmars.securityStack],
    ['thread block', vmars.threadBlock],
  ] as const;
  console.log(`backend: ${backend.name}`);
  for (const [name, list] of lists) {
    const vmar = list.probe(); // a Vmar with 32 MiB free, or throws Errno ENOMEM
    const info = vmar.info();
    if (!info.ok) throw new Error(`${name}: info() failed with status ${String(info.status)}`);
    const mib = info.value.len / 2 ** 20;
    console.log(`${name}: compact VMAR at 0x${info.value.base.toString(16)}, ${String(mib)} MiB`);
  }
  return 0;
}

process.exitCode = await main();
