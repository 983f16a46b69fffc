import { type CapturedRun, runCaptured } from '@vmars/cli-support';
import { type DemoDependencies, main } from './main.js';

/** A run of the demo's `main` in a test: its streams, status, and the files it wrote. */
export interface DemoRun extends CapturedRun {
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Runs `main` on captured streams (stderr no terminal unless `tty`), keeping the files it writes
 * in memory; `dependencies` replace the world's as in `main`.
 */
export async function runDemo(
  argv: string[],
  options: { tty?: boolean; dependencies?: DemoDependencies } = {},
): Promise<DemoRun> {
  const files = new Map<string, string>();
  const result = await runCaptured(
    (io) =>
      main(argv, io, { writeFile: (path, text) => files.set(path, text), ...options.dependencies }),
    { isTTY: options.tty ?? false, columns: 80 },
  );
  return { ...result, files };
}
