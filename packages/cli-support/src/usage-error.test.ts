import { describe, expect, it } from 'vitest';
import { defineUsageError } from './usage-error.js';

describe('defineUsageError', () => {
  const DemoUsageError = defineUsageError('demo');

  it('names the option at fault in the message, or gives the detail alone', () => {
    const error = new DemoUsageError('--threads', 'expected a whole number, got "-5"');
    expect(error.message).toBe('--threads: expected a whole number, got "-5"');
    expect(error.option).toBe('--threads');
    expect(error.name).toBe('UsageError');
    expect(error).toBeInstanceOf(Error);
    const plain = new DemoUsageError(undefined, 'merge: no results files given');
    expect(plain.message).toBe('merge: no results files given');
    expect(plain.option).toBeUndefined();
  });

  it('keeps the cause', () => {
    const cause = new Error('underneath');
    expect(new DemoUsageError(undefined, 'bad', { cause }).cause).toBe(cause);
  });

  it('carries the Symbol.for marker of its program', () => {
    const error = new DemoUsageError(undefined, 'bad');
    expect(Symbol.for('vmars.demo.UsageError') in error).toBe(true);
    expect(Symbol.for('vmars.lab.UsageError') in error).toBe(false);
  });

  it('recognises the errors of another copy of the same program, not those of another program', () => {
    // A second definition stands for a second copy of the module (another bundle or install).
    const copy = defineUsageError('demo');
    const LabUsageError = defineUsageError('lab');
    expect(DemoUsageError.isInstance(new copy(undefined, 'bad'))).toBe(true);
    expect(DemoUsageError.isInstance(new LabUsageError(undefined, 'bad'))).toBe(false);
    expect(LabUsageError.isInstance(new LabUsageError(undefined, 'bad'))).toBe(true);
    expect(DemoUsageError.isInstance(new Error('bad'))).toBe(false);
    expect(DemoUsageError.isInstance(null)).toBe(false);
    expect(DemoUsageError.isInstance('bad')).toBe(false);
  });
});
