import { describe, expect, it } from 'vitest';
import { createTooltip, type TooltipElement, tooltipPosition } from './tooltip.js';

const viewport = { width: 800, height: 600 };

describe('tooltipPosition', () => {
  it('puts the tooltip below and to the right of the point', () => {
    expect(tooltipPosition({ width: 100, height: 40 }, 100, 100, viewport)).toEqual({
      left: 114,
      top: 116,
    });
  });

  it('keeps it 4 px inside the right edge', () => {
    expect(tooltipPosition({ width: 100, height: 40 }, 780, 100, viewport).left).toBe(696);
  });

  it('puts it above the point when it would run off the bottom, but never above the top', () => {
    expect(tooltipPosition({ width: 100, height: 40 }, 100, 580, viewport).top).toBe(528);
    expect(tooltipPosition({ width: 100, height: 590 }, 100, 20, viewport).top).toBe(4);
  });

  it('keeps it 4 px inside the left edge when it is wider than the window', () => {
    expect(tooltipPosition({ width: 900, height: 40 }, 100, 100, viewport).left).toBe(4);
  });
});

describe('createTooltip', () => {
  function fakeElement(): TooltipElement {
    return {
      textContent: null,
      hidden: true,
      style: { left: '', top: '' },
      getBoundingClientRect: () => ({ width: 50.123, height: 20 }),
    };
  }

  it('shows the text at the position, in pixels with at most two decimals', () => {
    const element = fakeElement();
    const tooltip = createTooltip(element, () => viewport);
    tooltip.show('a\nb', 10.555, 20);
    expect(element).toMatchObject({ textContent: 'a\nb', hidden: false });
    expect(element.style).toEqual({ left: '24.56px', top: '36px' });
    tooltip.hide();
    expect(element.hidden).toBe(true);
  });

  it('shows the text beside the centre of an anchor', () => {
    const element = fakeElement();
    const anchor = {
      getBoundingClientRect: () => ({ left: 100, top: 200, width: 20, height: 10 }),
    };
    createTooltip(element, () => viewport).showBeside(anchor, 'here');
    expect(element.style).toEqual({ left: '124px', top: '221px' });
    expect(element.textContent).toBe('here');
  });
});
