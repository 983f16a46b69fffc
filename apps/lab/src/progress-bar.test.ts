import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar } from './progress-bar.js';

describe('formatDuration', () => {
  it('writes seconds, minutes and hours', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3_725)).toBe('1h02m');
    expect(formatDuration(-3)).toBe('0s');
  });
});

describe('ProgressBar', () => {
  it('shows runs done and an ETA from the rate so far', () => {
    const bar = new ProgressBar({ write: () => true, columns: 100 }, 'vmars-lab');
    // 100 of 400 runs in 30 s: 300 left at the same rate is 90 s.
    expect(bar.line(100, 400, 30_000)).toMatch(
      /^vmars-lab \[#+\.+\] {2}25% 100\/400 runs, ETA 1m30s$/,
    );
    expect(bar.line(0, 400, 1_000)).toContain('ETA ?');
  });

  it('stays silent for the first half second, then draws at most every 200 ms, and erases itself', () => {
    let clock = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (text: string) => written.push(text) }, 'lab', {
      now: () => clock,
    });
    bar.update(1, 10);
    expect(written).toHaveLength(0);
    clock = 600;
    bar.update(2, 10);
    clock = 700;
    bar.update(3, 10);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('2/10 runs');
    expect(bar.drawn).toBe(true);
    bar.finish();
    expect(written.at(-1)).toBe('\r\u001b[2K');
    expect(bar.drawn).toBe(false);
  });
});
