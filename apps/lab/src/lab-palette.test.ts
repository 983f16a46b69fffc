import { COLOUR_VISIONS, colourDifference, contrastRatio, lightness } from '@vmars/browser-testing';
import { POLICY_COLOURS, POLICY_DASHES } from '@vmars/cli-support/page';
import { NAMED_POLICY_NAMES } from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';
import { heatColour, POLICY_MARKERS } from './lab-palette.js';

describe('the lab page’s palette', () => {
  it('gives every named policy a colour, a marker shape and a dash of its own', () => {
    for (const table of [POLICY_COLOURS, POLICY_MARKERS, POLICY_DASHES]) {
      expect(Object.keys(table).sort()).toEqual([...NAMED_POLICY_NAMES].sort());
      expect(new Set(Object.values(table)).size).toBe(NAMED_POLICY_NAMES.length);
    }
  });

  // Six colours cannot all stay 20 apart (plainly different) under every simulated deficiency;
  // Okabe and Ito's come closest, and the shapes and dashes above tell the policies apart anyway.
  // 15 is still clearly visible; a bad choice (orange next to yellow, green next to sky blue)
  // falls under 10.
  for (const vision of COLOUR_VISIONS) {
    it(`keeps the policies’ colours apart with ${vision}`, () => {
      const colours = Object.values(POLICY_COLOURS);
      for (const [index, left] of colours.entries()) {
        for (const right of colours.slice(index + 1)) {
          expect(colourDifference(left, right, vision), `${left} vs ${right}`).toBeGreaterThan(15);
        }
      }
    });

    it(`makes the heatmap darker as it goes up, with ${vision}`, () => {
      const steps = Array.from({ length: 11 }, (_, index) =>
        lightness(heatColour(index / 10), vision),
      );
      for (const [index, value] of steps.entries()) {
        if (index > 0)
          expect(value, `step ${String(index)}`).toBeLessThan((steps[index - 1] ?? 0) - 4);
      }
    });
  }

  it('draws every policy colour with at least 2:1 contrast on white', () => {
    for (const colour of Object.values(POLICY_COLOURS)) {
      expect(contrastRatio(colour, '#ffffff'), colour).toBeGreaterThan(2);
    }
  });
});
