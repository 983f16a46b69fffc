import { describe, expect, it } from 'vitest';
import { runCaptured } from './run-captured.js';

describe('runCaptured', () => {
  it('returns the status and what each stream was given, and passes the terminal on', async () => {
    const result = await runCaptured(
      async (io) => {
        io.stdout.write('out ');
        io.stdout.write('more');
        io.stderr.write(`tty ${String(io.stderr.isTTY)} ${String(io.stderr.columns)}`);
        return 3;
      },
      { isTTY: true, columns: 80 },
    );
    expect(result).toEqual({ status: 3, stdout: 'out more', stderr: 'tty true 80' });
  });
});
