import { describe, expect, it } from 'vitest';
import { pointStep } from './chart-points.js';

describe('pointStep', () => {
  const lengths = [5, 5];

  it('moves along a line, staying on it', () => {
    expect(pointStep('ArrowRight', 0, -1, lengths)).toEqual({ line: 0, index: 0 });
    expect(pointStep('ArrowRight', 0, 4, lengths)).toEqual({ line: 0, index: 4 });
    expect(pointStep('ArrowLeft', 1, 0, lengths)).toEqual({ line: 1, index: 0 });
    expect(pointStep('Home', 1, 3, lengths)).toEqual({ line: 1, index: 0 });
    expect(pointStep('End', 1, 0, lengths)).toEqual({ line: 1, index: 4 });
  });

  it('moves to the same sample of the line above or below, wrapping round', () => {
    expect(pointStep('ArrowDown', 0, 2, lengths)).toEqual({ line: 1, index: 2 });
    expect(pointStep('ArrowDown', 1, 2, lengths)).toEqual({ line: 0, index: 2 });
    expect(pointStep('ArrowUp', 0, -1, lengths)).toEqual({ line: 1, index: 0 });
  });

  it('leaves other keys alone', () => {
    expect(pointStep('Enter', 0, 1, lengths)).toBeUndefined();
  });
});
