import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { Architecture } from '@vmars/thread-workload';

/**
 * What the check needs to know about this machine, read without native code (the check's own
 * process loads no FFI and maps nothing). Tests pass their own to play another machine.
 */
export interface LinuxHost {
  /** `process.platform`. */
  readonly platform: string;
  /** `process.arch` (`x64`, `arm64`, …). */
  readonly machine: string;
  /** The kernel's page size in bytes (`KernelPageSize` of /proc/self/smaps); undefined off Linux. */
  readonly pageSize: number | undefined;
  /** Whether /proc/self/status has a `VmPTE` line. */
  readonly hasVmPte: boolean;
  /**
   * The user address space's width in bits, from the top of the main thread's stack (which Linux
   * puts just below the end of the default user address space): 47 on x86-64, 48 on arm64 with
   * 48-bit addresses, 39 on arm64 with 3-level tables.
   */
  readonly addressBits: number | undefined;
  /** `vm.max_map_count`: the most mappings a process may hold. */
  readonly maxMapCount: number | undefined;
  /** Bytes the check may take: `MemAvailable`, lowered to the room under any cgroup v2 limit. */
  readonly availableMemory: number | undefined;
  /** `os.release()`. */
  readonly kernel: string;
}

/** This machine's `LinuxHost`. Never throws: what cannot be read is `undefined` (or `false`). */
export function readLinuxHost(): LinuxHost {
  const onLinux = process.platform === 'linux';
  const status = onLinux ? readText('/proc/self/status') : undefined;
  const smaps = onLinux ? readText('/proc/self/smaps') : undefined;
  const kernelPageSize = smaps === undefined ? null : /^KernelPageSize:\s+(\d+) kB$/m.exec(smaps);
  const maps = onLinux ? readText('/proc/self/maps') : undefined;
  const stack = maps === undefined ? null : /^[0-9a-f]+-([0-9a-f]+) .*\[stack\]$/m.exec(maps);
  const stackEnd = stack === null ? undefined : Number.parseInt(stack[1] ?? '', 16);
  return {
    platform: process.platform,
    machine: process.arch,
    pageSize: kernelPageSize === null ? undefined : Number(kernelPageSize[1]) * 1024,
    hasVmPte: status !== undefined && /^VmPTE:/m.test(status),
    addressBits:
      stackEnd === undefined || !(stackEnd > 0) ? undefined : Math.ceil(Math.log2(stackEnd)),
    maxMapCount: onLinux ? readInteger('/proc/sys/vm/max_map_count') : undefined,
    availableMemory: onLinux ? availableMemory() : undefined,
    kernel: release(),
  };
}

/** The engine's name for a `process.arch` the check can replay on, or undefined. */
export function architectureOfMachine(machine: string): Architecture | undefined {
  if (machine === 'x64') return 'x86_64';
  if (machine === 'arm64') return 'arm64';
  return undefined;
}

/** `MemAvailable`, and no more than the room left under the process's cgroup v2 limits. */
function availableMemory(): number | undefined {
  const meminfo = readText('/proc/meminfo');
  const line = meminfo === undefined ? null : /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  let available = line === null ? undefined : Number(line[1]) * 1024;
  const cgroup = readText('/proc/self/cgroup');
  const path = cgroup === undefined ? null : /^0::(\/.*)$/m.exec(cgroup);
  if (path !== null) {
    // A limit anywhere up the tree binds; the root cgroup has no memory.max.
    let folder = (path[1] ?? '/').replace(/\/$/, '');
    for (;;) {
      const limit = readText(`/sys/fs/cgroup${folder}/memory.max`)?.trim();
      const used = readInteger(`/sys/fs/cgroup${folder}/memory.current`);
      if (limit !== undefined && /^\d+$/.test(limit) && used !== undefined) {
        const room = Math.max(0, Number(limit) - used);
        available = available === undefined ? room : Math.min(available, room);
      }
      if (folder === '') break;
      folder = folder.slice(0, folder.lastIndexOf('/'));
    }
  }
  return available;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function readInteger(path: string): number | undefined {
  const text = readText(path)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
