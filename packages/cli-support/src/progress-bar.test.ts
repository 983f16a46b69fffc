import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar } from './progress-bar.js';

function fakeClock() {
  let time = 0;
  return {
    now: () => time,
    advance: (milliseconds: number) => {
      time += milliseconds;
    },
  };
}

describe('formatDuration', () => {
  it('writes seconds, minutes and hours', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3_725)).toBe('1h02m');
    expect(formatDuration(-3)).toBe('0s');
  });
});

describe('ProgressBar without a unit (the demo)', () => {
  it('stays silent during the first second', () => {
    const written: string[] = [];
    const clock = fakeClock();
    const bar = new ProgressBar({ write: (text) => written.push(text) }, 'run', { now: clock.now });
    clock.advance(999);
    bar.update(5, 10);
    bar.finish();
    expect(written).toEqual([]);
  });

  it('draws after a second, at most every 100 ms, and erases itself', () => {
    const written: string[] = [];
    const clock = fakeClock();
    const bar = new ProgressBar({ write: (text) => written.push(text), columns: 80 }, 'run', {
      now: clock.now,
    });
    clock.advance(1000);
    bar.update(5, 10);
    clock.advance(50);
    bar.update(6, 10);
    clock.advance(60);
    bar.update(10, 10);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\rrun \[#+\.+\] {2}50%$/);
    expect(written[1]).toMatch(/100%$/);
    bar.finish();
    expect(written.at(-1)).toBe('\r\u001b[2K');
  });
});

describe('ProgressBar with a unit (the lab)', () => {
  it('shows runs done and an ETA from the rate so far', () => {
    const bar = new ProgressBar({ write: () => true, columns: 100 }, 'vmars-lab', {
      unit: 'runs',
    });
    // 100 of 400 runs in 30 s: 300 left at the same rate is 90 s.
    expect(bar.line(100, 400, 30_000)).toMatch(
      /^vmars-lab \[#+\.+\] {2}25% 100\/400 runs, ETA 1m30s$/,
    );
    expect(bar.line(0, 400, 1_000)).toContain('ETA ?');
  });

  it('honours its own delay and interval, erases the rest of the line, and erases itself', () => {
    let clock = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (text: string) => written.push(text) }, 'lab', {
      now: () => clock,
      unit: 'runs',
      delayMilliseconds: 500,
      intervalMilliseconds: 200,
    });
    bar.update(1, 10);
    expect(written).toHaveLength(0);
    clock = 600;
    bar.update(2, 10);
    clock = 700;
    bar.update(3, 10);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('2/10 runs');
    expect(written[0]?.endsWith('\u001b[K')).toBe(true);
    expect(bar.drawn).toBe(true);
    bar.finish();
    expect(written.at(-1)).toBe('\r\u001b[2K');
    expect(bar.drawn).toBe(false);
  });
});
