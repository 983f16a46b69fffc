/** A stream that reports write errors as `error` events (`process.stdout`). */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * `vmars-demo --json | head` closes the pipe early: that is the reader's choice, not an error, so
 * the process leaves quietly with status 0. Any other write error is thrown as before.
 */
export function exitQuietlyOnBrokenPipe(
  stream: ErrorEmitter,
  exit: (status: number) => void = (status) => process.exit(status),
): void {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') {
      exit(0);
      return;
    }
    throw error;
  });
}
