import { WorkloadError } from './workload-error.js';

/** `WorkloadError` `INVALID_OPTION` naming `option`, with what was wrong with it. */
export function invalidOption(option: string, detail: string): WorkloadError {
  return new WorkloadError('INVALID_OPTION', `runWorkload option "${option}": ${detail}`, {
    option,
  });
}
