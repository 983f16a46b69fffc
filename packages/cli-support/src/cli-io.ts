/**
 * The streams a CLI's `main` writes to: `process.stdout` and `process.stderr`, or captures in
 * tests. `isTTY` and `columns` let a progress bar decide whether to draw and how wide.
 */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
  };
}
