import { type CapturedRun, runCaptured } from '@vmars/cli-support';
import { type LabDependencies, main } from './main.js';

/** Runs the lab's `main` in a test, on captured streams (stderr no terminal). */
export function runLab(argv: string[], dependencies: LabDependencies = {}): Promise<CapturedRun> {
  return runCaptured((io) => main(argv, io, dependencies));
}
