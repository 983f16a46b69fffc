import { describe, expect, it } from 'vitest';
import { cursorX } from './time-controls.js';

describe('cursorX', () => {
  it('places the cursor along the chart’s x axis in proportion to the frame’s position', () => {
    expect(cursorX({ x0: 84, x1: 976, span: 1000 }, 0)).toBe(84);
    expect(cursorX({ x0: 84, x1: 976, span: 1000 }, 500)).toBe(530);
    expect(cursorX({ x0: 84, x1: 976, span: 1000 }, 1000)).toBe(976);
  });

  it('takes a span under 1 as 1', () => {
    expect(cursorX({ x0: 0, x1: 100, span: 0 }, 1)).toBe(100);
  });
});
