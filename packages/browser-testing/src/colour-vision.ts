type Rgb = readonly [number, number, number];
type Matrix = readonly [Rgb, Rgb, Rgb];

/** The kinds of colour vision a report's palette is checked under. */
export type ColourVision = 'normal' | 'protanopia' | 'deuteranopia' | 'tritanopia';

/**
 * Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for Simulation of Color
 * Vision Deficiency", severity 1.0, applied to linear RGB.
 */
const MATRICES: Readonly<Record<ColourVision, Matrix>> = {
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

export const COLOUR_VISIONS = Object.keys(MATRICES) as ColourVision[];

/** Okabe and Ito's palette for colour-blind readers ("Color Universal Design", 2008). */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#e69f00',
  skyBlue: '#56b4e9',
  bluishGreen: '#009e73',
  yellow: '#f0e442',
  blue: '#0072b2',
  vermillion: '#d55e00',
  reddishPurple: '#cc79a7',
} as const;

/** Linear RGB of `#rrggbb` or `rgb(r,g,b)`. */
function linear(colour: string): Rgb {
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(colour);
  const channels: number[] =
    rgb === null
      ? [1, 3, 5].map((offset) => Number.parseInt(colour.slice(offset, offset + 2), 16))
      : rgb.slice(1).map(Number);
  const [r, g, b] = channels.map((channel) => {
    const value = channel / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return [r, g, b];
}

function simulate([r, g, b]: Rgb, matrix: Matrix): Rgb {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
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

/**
 * CIE76 colour difference of two colours as seen with `vision`: about 2.3 is just noticeable; 20
 * and more is plainly different.
 */
export function colourDifference(left: string, right: string, vision: ColourVision): number {
  const matrix = MATRICES[vision];
  const [l1, a1, b1] = lab(simulate(linear(left), matrix));
  const [l2, a2, b2] = lab(simulate(linear(right), matrix));
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/** CIELAB lightness (0 to 100) of a colour as seen with `vision`. */
export function lightness(colour: string, vision: ColourVision): number {
  return lab(simulate(linear(colour), MATRICES[vision]))[0];
}

/** WCAG 2.x's contrast ratio of two colours, from 1 (the same) to 21 (black on white). */
export function contrastRatio(left: string, right: string): number {
  const luminance = (colour: string): number => {
    const [r, g, b] = linear(colour);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(left), luminance(right)].sort((a, b) => b - a) as [number, number];
  return (high + 0.05) / (low + 0.05);
}
