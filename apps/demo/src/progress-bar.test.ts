import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function fakeClock() {
  let time = 0;
  return {
    now: () => time,
    advance: (milliseconds: number) => {
      time += milliseconds;
    },
  };
}

describe('ProgressBar', () => {
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
