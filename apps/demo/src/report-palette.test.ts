import { COLOUR_VISIONS, colourDifference, contrastRatio } from '@vmars/browser-testing';
import { OTHER_POLICY_COLOUR, POLICY_COLOURS } from '@vmars/cli-support/page';
import { describe, expect, it } from 'vitest';
import { BACKGROUND, BLOCK_COLOURS, EMPTY_SPACE } from './report-palette.js';

describe('the report palette', () => {
  // The two policies a run draws by default; all six are checked apart in the lab's
  // `lab-palette.test.ts` (they share `@vmars/cli-support/page`'s colours).
  const groups = {
    'block kinds': Object.values(BLOCK_COLOURS),
    'default policies': [POLICY_COLOURS.compact ?? '', POLICY_COLOURS.root ?? ''],
  };

  // Simulated with Machado, Oliveira and Fernandes (2009) in `@vmars/browser-testing`.
  for (const vision of COLOUR_VISIONS) {
    it.each(Object.entries(groups))(`keeps the %s apart with ${vision}`, (_name, colours) => {
      for (const [index, left] of colours.entries()) {
        for (const right of colours.slice(index + 1)) {
          expect(colourDifference(left, right, vision), `${left} vs ${right}`).toBeGreaterThan(20);
        }
      }
    });
  }

  it('draws every colour with at least 1.5:1 contrast on the background and on empty space', () => {
    // WCAG 2.x's contrast ratio; 3:1 is asked of graphics that carry meaning alone, and these
    // never do (tooltips and tables name everything), but they must not vanish into the page.
    const colours = [
      ...groups['block kinds'],
      ...Object.values(POLICY_COLOURS),
      OTHER_POLICY_COLOUR,
    ];
    for (const colour of colours) {
      expect(contrastRatio(colour, BACKGROUND), colour).toBeGreaterThan(1.5);
      expect(contrastRatio(colour, EMPTY_SPACE), colour).toBeGreaterThan(1.5);
    }
  });
});
