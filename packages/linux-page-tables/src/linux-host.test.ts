import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureOfMachine, readLinuxHost } from './linux-host.js';

describe('readLinuxHost', () => {
  it("reads this machine's facts as the system's own tools give them", (context) => {
    if (process.platform !== 'linux') {
      expect(readLinuxHost()).toMatchObject({ platform: process.platform, hasVmPte: false });
      context.skip(`not Linux (${process.platform}): there is no /proc to read`);
    }
    const host = readLinuxHost();
    expect(host.platform).toBe('linux');
    expect(host.machine).toBe(process.arch);
    expect(host.pageSize).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })));
    expect(host.hasVmPte).toBe(/^VmPTE:/m.test(readFileSync('/proc/self/status', 'latin1')));
    expect(host.maxMapCount).toBe(Number(readFileSync('/proc/sys/vm/max_map_count', 'latin1')));
    if (process.arch === 'x64') expect(host.addressBits).toBe(47);
    const available = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'));
    expect(host.availableMemory).toBeGreaterThan(0);
    // Never more than MemAvailable (a cgroup limit can only lower it); a little slack for churn.
    expect(host.availableMemory).toBeLessThanOrEqual(Number(available?.[1]) * 1024 * 1.1);
  });

  it('names the architectures the check can replay on, and only those', () => {
    expect(architectureOfMachine('x64')).toBe('x86_64');
    expect(architectureOfMachine('arm64')).toBe('arm64');
    expect(architectureOfMachine('riscv64')).toBeUndefined();
    expect(architectureOfMachine('ia32')).toBeUndefined();
  });
});
