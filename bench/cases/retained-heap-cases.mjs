// @ts-check
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchError } from '../bench-error.mjs';

/** @typedef {import('../measure-case.mjs').CaseResult} CaseResult */

const script = fileURLToPath(new URL('../retained-heap.mjs', import.meta.url));

/**
 * Retained heap per live child VMAR: runs bench/retained-heap.mjs in `repetitions` fresh
 * `node --expose-gc` processes per mode and takes the median.
 * @param {number} children
 * @param {number} repetitions
 * @returns {CaseResult[]}
 */
export function measureRetainedHeap(children, repetitions) {
  const count = children.toLocaleString('en-US');
  return /** @type {const} */ (['closed', 'open']).map((mode) => {
    /** @type {number[]} */
    const perChild = [];
    for (let repetition = 0; repetition < repetitions; repetition++) {
      const output = execFileSync(
        process.execPath,
        ['--expose-gc', script, String(children), mode],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const parsed = JSON.parse(output);
      if (typeof parsed.bytesPerChild !== 'number') {
        throw new BenchError(`retained-heap.mjs printed no figure: ${output}`);
      }
      perChild.push(parsed.bytesPerChild);
    }
    perChild.sort((left, right) => left - right);
    const median = /** @type {number} */ (perChild[Math.floor(perChild.length / 2)]);
    const deviations = perChild.map((value) => Math.abs(value - median)).sort((a, b) => a - b);
    const mad = /** @type {number} */ (deviations[Math.floor(deviations.length / 2)]);
    return {
      id: `retained-heap-${mode}`,
      name:
        mode === 'closed'
          ? `retained heap per live child, ${count} children, handles closed`
          : `retained heap per live child, ${count} children, handles kept`,
      unit: 'bytes/child',
      medianNsPerOperation: null,
      median,
      samples: perChild.length,
      callsPerSample: 1,
      relativeMad: median === 0 ? 0 : mad / median,
    };
  });
}
