import { describe, expect, it } from 'vitest';
import { focusStep } from './focus-step.js';

describe('focusStep', () => {
  it('moves to the next mark with right or down, the previous with left or up', () => {
    expect(focusStep('ArrowRight', 2, 5)).toBe(3);
    expect(focusStep('ArrowDown', 2, 5)).toBe(3);
    expect(focusStep('ArrowLeft', 2, 5)).toBe(1);
    expect(focusStep('ArrowUp', 2, 5)).toBe(1);
  });

  it('stays within the chart at either end', () => {
    expect(focusStep('ArrowRight', 4, 5)).toBe(4);
    expect(focusStep('ArrowLeft', 0, 5)).toBe(0);
  });

  it('goes to the first and the last with Home and End', () => {
    expect(focusStep('Home', 3, 5)).toBe(0);
    expect(focusStep('End', 1, 5)).toBe(4);
  });

  it('leaves other keys alone', () => {
    expect(focusStep('Enter', 1, 5)).toBeUndefined();
    expect(focusStep('a', 1, 5)).toBeUndefined();
  });
});
