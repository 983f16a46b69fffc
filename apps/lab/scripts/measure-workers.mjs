#!/usr/bin/env node
// Times one sweep with 1 worker and then with 2, in one run, and prints the speedup: the lab's
// claim that two workers finish a sweep at least 1.7x faster than one. Run after a build:
//   node apps/lab/scripts/measure-workers.mjs [extra vmars-lab options]
// It checks, too, that both give the same results (timing aside).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'vmars-lab-workers-'));
const sweep =
  process.argv.length > 2
    ? process.argv.slice(2)
    : ['--workloads', 'steady-1k,bursty,waves,mixed-lifetimes', '--seeds', '20'];
const seconds = {};
const runs = {};
for (const workers of [1, 2]) {
  const out = join(directory, `workers-${workers}.json`);
  const started = performance.now();
  execFileSync(process.execPath, [cli, ...sweep, '--workers', String(workers), '--out', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  seconds[workers] = (performance.now() - started) / 1000;
  runs[workers] = JSON.parse(readFileSync(out, 'utf8')).runs.map(
    ({ microsecondsPerLifecycle: _timing, ...rest }) => JSON.stringify(rest),
  );
}
const same = JSON.stringify(runs[1]) === JSON.stringify(runs[2]);
const speedup = seconds[1] / seconds[2];
console.log(
  `${runs[1].length} runs: 1 worker ${seconds[1].toFixed(1)} s, 2 workers ${seconds[2].toFixed(1)} s, speedup ${speedup.toFixed(2)}x (target >= 1.7x); same results: ${same ? 'yes' : 'NO'}`,
);
process.exitCode = same && speedup >= 1.7 ? 0 : 1;
