import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-status.js';
import { describeError, reportError } from './report-error.js';
import { defineUsageError } from './usage-error.js';

const TestUsageError = defineUsageError('test');

function capture() {
  let err = '';
  return {
    io: { stdout: { write: () => true }, stderr: { write: (text: string) => (err += text) } },
    err: () => err,
  };
}

describe('describeError', () => {
  it('keeps the first non-blank lines of the message', () => {
    expect(describeError(new Error('one\n\ntwo\nthree'), 2)).toBe('one\ntwo');
    expect(describeError('text')).toBe('text');
    expect(describeError(new Error(''))).toBe('unknown error');
  });
});

describe('reportError', () => {
  const report = { program: 'vmars-test', isUsage: TestUsageError.isInstance, failureLines: 2 };

  it('a usage error is one line and status 2', () => {
    const captured = capture();
    const error = new TestUsageError('--x', 'bad\nmore');
    expect(reportError(captured.io, error, report)).toBe(EXIT_USAGE);
    expect(captured.err()).toBe('vmars-test: --x: bad\n');
  });

  it('any other error is at most failureLines lines and status 1', () => {
    const captured = capture();
    expect(reportError(captured.io, new Error('a\nb\nc'), report)).toBe(EXIT_FAILURE);
    expect(captured.err()).toBe('vmars-test: a\nb\n');
  });
});
