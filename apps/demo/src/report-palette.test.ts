import { describe, expect, it } from 'vitest';
import { BACKGROUND, BLOCK_COLOURS, EMPTY_SPACE, POLICY_COLOURS } from './report-palette.js';

type Rgb = readonly [number, number, number];
type Matrix = readonly [Rgb, Rgb, Rgb];

/**
 * Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for Simulation of Color
 * Vision Deficiency", severity 1.0, applied to linear RGB.
 */
const DEFICIENCIES: Readonly<Record<string, Matrix>> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function linear(hex: string): Rgb {
  const channel = (offset: number): number => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return [channel(1), channel(3), channel(5)];
}

function simulate(colour: Rgb, matrix: Matrix): Rgb {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  const [r, g, b] = colour;
  const row = (index: 0 | 1 | 2): number => {
    const [x, y, z] = matrix[index];
    return clamp(x * r + y * g + z * b);
  };
  return [row(0), row(1), row(2)];
}

/** CIELAB (D65) of a linear sRGB colour. */
function lab([r, g, b]: Rgb): Rgb {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number =>
    t > 216 / 24389 ? Math.cbrt(t) : (t * 24389) / 27 / 116 + 16 / 116;
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference: about 2.3 is just noticeable; 20 and more is plainly different. */
function difference(left: string, right: string, matrix: Matrix): number {
  const [l1, a1, b1] = lab(simulate(linear(left), matrix));
  const [l2, a2, b2] = lab(simulate(linear(right), matrix));
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

function luminance(hex: string): number {
  const [r, g, b] = linear(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('the report palette', () => {
  const groups = {
    'block kinds': Object.values(BLOCK_COLOURS),
    policies: Object.values(POLICY_COLOURS),
  };

  for (const [deficiency, matrix] of Object.entries(DEFICIENCIES)) {
    it.each(Object.entries(groups))(`keeps the %s apart with ${deficiency}`, (_name, colours) => {
      for (const [index, left] of colours.entries()) {
        for (const right of colours.slice(index + 1)) {
          expect(difference(left, right, matrix), `${left} vs ${right}`).toBeGreaterThan(20);
        }
      }
    });
  }

  it('draws every colour with at least 1.5:1 contrast on the background and on empty space', () => {
    // WCAG 2.x's contrast ratio; 3:1 is asked of graphics that carry meaning alone, and these
    // never do (tooltips and tables name everything), but they must not vanish into the page.
    const contrast = (left: string, right: string): number => {
      const [high, low] = [luminance(left), luminance(right)].sort((a, b) => b - a) as [
        number,
        number,
      ];
      return (high + 0.05) / (low + 0.05);
    };
    for (const colour of [...groups['block kinds'], ...groups.policies]) {
      expect(contrast(colour, BACKGROUND), colour).toBeGreaterThan(1.5);
      expect(contrast(colour, EMPTY_SPACE), colour).toBeGreaterThan(1.5);
    }
  });
});
