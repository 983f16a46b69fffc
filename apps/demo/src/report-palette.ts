import type { BlockKind } from '@vmars/thread-workload';

/**
 * The page's colours, from Okabe and Ito's palette for colour-blind readers ("Color Universal
 * Design", 2008). `report-palette.test.ts` simulates protanopia, deuteranopia and tritanopia and
 * checks that every pair that must be told apart stays apart, and that each colour stands out
 * from the page's background. Colour is never the only cue: the policies' lines also differ in
 * dash and marker, and every block is named in its tooltip.
 */
export const BLOCK_COLOURS: Readonly<Record<BlockKind, string>> = {
  'machine-stack': '#0072b2',
  'security-stack': '#e69f00',
  'thread-block': '#000000',
};

/** The two built-in policies; a caller's own policy gets `OTHER_POLICY_COLOUR`. */
export const POLICY_COLOURS: Readonly<Record<string, string>> = {
  compact: '#0072b2',
  root: '#d55e00',
};
export const OTHER_POLICY_COLOUR = '#009e73';

/** Dashes of the policies' lines, so that the lines differ without colour too. */
export const POLICY_DASHES: Readonly<Record<string, string>> = { compact: '', root: '6 3' };

/** The page's background and the light grey of empty address space. */
export const BACKGROUND = '#ffffff';
export const EMPTY_SPACE = '#f2f2f2';

export function policyColour(policy: string): string {
  return POLICY_COLOURS[policy] ?? OTHER_POLICY_COLOUR;
}
