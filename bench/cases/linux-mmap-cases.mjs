// @ts-check
import { expect } from '../bench-error.mjs';
import { loadLinuxMmap } from '../linux-mmap.mjs';
import { PROBE_SIZE } from '../packages.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */

/**
 * The reference for a probe pair: a real Linux reservation of 32 MiB, `mmap(NULL, 32 MiB,
 * PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)` then `munmap`, called from
 * JavaScript through koffi as the probe is. Empty (with the reason on stderr) where it cannot run.
 * @returns {BenchCase[]}
 */
export function linuxMmapCases() {
  const loaded = loadLinuxMmap();
  if (!loaded.ok) {
    process.stderr.write(`skipping the mmap reference: ${loaded.reason}\n`);
    return [];
  }
  const { reserve, release } = loaded.value;
  return [
    {
      id: 'mmap-munmap',
      name: 'reference: Linux mmap + munmap of 32 MiB (koffi)',
      measure(count) {
        let released = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) {
          const address = reserve(PROBE_SIZE);
          if (address !== -1 && release(address, PROBE_SIZE) === 0) released++;
        }
        const elapsed = process.hrtime.bigint() - start;
        expect(released === count, 'mmap or munmap failed');
        return Number(elapsed);
      },
    },
  ];
}
