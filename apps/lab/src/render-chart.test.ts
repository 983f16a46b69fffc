import { describe, expect, it } from 'vitest';
import { groupBy } from './group-by.js';
import { axes, FRAME, legend, ticks, tooltipAttributes } from './render-chart.js';

describe('ticks', () => {
  it('gives round steps from 0 to at least the maximum', () => {
    expect(ticks(0, 97)).toEqual([0, 25, 50, 75, 100]);
    expect(ticks(0, 1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(0, 0)).toEqual([0]);
  });

  it('starts at or below a minimum other than 0', () => {
    const result = ticks(12, 37);
    expect(result[0]).toBeLessThanOrEqual(12);
    expect(result.at(-1)).toBeGreaterThanOrEqual(37);
  });
});

describe('axes', () => {
  it('maps the first and last ticks to the plot’s edges', () => {
    const { x, y } = axes([0, 97], [0, 10], 'x', 'y');
    expect(x(0)).toBe(FRAME.left);
    expect(x(100)).toBe(FRAME.width - FRAME.right);
    expect(y(0)).toBe(FRAME.height - FRAME.bottom);
    expect(y(10)).toBe(FRAME.top);
  });

  it('labels both axes, escaped', () => {
    const { svg } = axes([0, 1], [0, 1], 'a < b', 'pages');
    expect(svg).toContain('a &lt; b</text>');
    expect(svg).toContain('pages</text>');
  });
});

describe('the charts’ parts', () => {
  it('makes a mark focusable, named and with its tooltip, one fact a line', () => {
    expect(tooltipAttributes(['a "b"', 'c'])).toBe(
      ' tabindex="0" role="img" aria-label="a &quot;b&quot;; c" data-tooltip="a &quot;b&quot;\nc"',
    );
  });

  it('groups in first-seen order', () => {
    const groups = groupBy(['b1', 'a1', 'b2'], (item) => item.slice(0, 1));
    expect([...groups]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1']],
    ]);
  });

  it('gives each policy of a legend its colour, and a line its dash', () => {
    const html = legend(['compact', 'root'], 'line');
    expect(html).toContain('data-policy="compact"');
    expect(html).toContain('stroke="#0072b2" stroke-width="2.5"/>');
    expect(html).toContain('stroke="#d55e00" stroke-width="2.5" stroke-dasharray="6 3"/>');
  });
});
