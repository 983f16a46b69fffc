/**
 * The lab page's marks. Policies take their colours and dashes from `@vmars/cli-support/page`,
 * the same as in the demo's page (Okabe and Ito's colours, "Color
 * Universal Design", 2008), and each also has its own marker shape here, so that colour is never
 * the only cue; every point and cell is named in its tooltip too. `lab-palette.test.ts` checks
 * them under simulated colour blindness.
 */
export type MarkerShape =
  | 'circle'
  | 'square'
  | 'diamond'
  | 'triangle'
  | 'inverted-triangle'
  | 'hexagon';

export const POLICY_MARKERS: Readonly<Record<string, MarkerShape>> = {
  compact: 'circle',
  root: 'square',
  aligned: 'diamond',
  'exact-probe': 'triangle',
  shrinking: 'inverted-triangle',
  'shared-list': 'hexagon',
};

export function policyMarker(policy: string): MarkerShape {
  return POLICY_MARKERS[policy] ?? 'circle';
}

/** The ends of the heatmap's scale: pale yellow (fewest page tables) to dark blue (most). */
export const HEAT_LOW: readonly [number, number, number] = [255, 247, 188];
export const HEAT_HIGH: readonly [number, number, number] = [8, 48, 107];

/**
 * The heatmap's colour for a fraction in [0, 1] of the way from the fewest page tables to the
 * most. One hue ramp whose lightness falls all the way, so that it reads in grey and with every
 * colour-vision deficiency alike (checked in `lab-palette.test.ts`).
 */
export function heatColour(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const channel = (index: 0 | 1 | 2): number =>
    Math.round(HEAT_LOW[index] + (HEAT_HIGH[index] - HEAT_LOW[index]) * f);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

/** An SVG path of `shape` centred at (cx, cy), about `size` across. */
export function markerPath(shape: MarkerShape, cx: number, cy: number, size: number): string {
  const r = size / 2;
  const at = (x: number, y: number): string =>
    `${String(Math.round((cx + x) * 10) / 10)} ${String(Math.round((cy + y) * 10) / 10)}`;
  const polygon = (points: [number, number][]): string =>
    `M${points.map(([x, y]) => at(x, y)).join('L')}Z`;
  switch (shape) {
    case 'circle':
      return `M${at(-r, 0)}A${String(r)} ${String(r)} 0 1 0 ${at(r, 0)}A${String(r)} ${String(r)} 0 1 0 ${at(-r, 0)}Z`;
    case 'square': {
      const s = r * 0.88;
      return polygon([
        [-s, -s],
        [s, -s],
        [s, s],
        [-s, s],
      ]);
    }
    case 'diamond':
      return polygon([
        [0, -r * 1.2],
        [r * 1.2, 0],
        [0, r * 1.2],
        [-r * 1.2, 0],
      ]);
    case 'triangle':
      return polygon([
        [0, -r * 1.2],
        [r * 1.1, r * 0.8],
        [-r * 1.1, r * 0.8],
      ]);
    case 'inverted-triangle':
      return polygon([
        [0, r * 1.2],
        [r * 1.1, -r * 0.8],
        [-r * 1.1, -r * 0.8],
      ]);
    case 'hexagon':
      return polygon(
        [0, 1, 2, 3, 4, 5].map((index): [number, number] => [
          r * 1.05 * Math.cos((Math.PI / 3) * index),
          r * 1.05 * Math.sin((Math.PI / 3) * index),
        ]),
      );
  }
}
