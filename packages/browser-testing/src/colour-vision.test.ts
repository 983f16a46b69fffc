import { describe, expect, it } from 'vitest';
import { COLOUR_VISIONS, colourDifference, contrastRatio, lightness } from './colour-vision.js';

describe('colour vision', () => {
  it('sees no difference between a colour and itself, whatever the vision', () => {
    for (const vision of COLOUR_VISIONS) {
      expect(colourDifference('#0072b2', 'rgb(0,114,178)', vision)).toBeCloseTo(0, 9);
    }
  });

  it('loses red against green with protanopia and deuteranopia, not with normal vision', () => {
    const [red, green] = ['#ff0000', '#00a000'];
    expect(colourDifference(red, green, 'normal')).toBeGreaterThan(80);
    expect(colourDifference(red, green, 'protanopia')).toBeLessThan(
      colourDifference(red, green, 'normal') / 2,
    );
    expect(colourDifference(red, green, 'deuteranopia')).toBeLessThan(
      colourDifference(red, green, 'normal') / 2,
    );
  });

  it('gives black on white a contrast of 21 and white 100 lightness', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(lightness('#ffffff', 'normal')).toBeCloseTo(100, 1);
  });
});
