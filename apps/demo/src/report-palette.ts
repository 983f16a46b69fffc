import type { BlockKind } from '@vmars/thread-workload';

/**
 * The page's colours, from Okabe and Ito's palette for colour-blind readers ("Color Universal
 * Design", 2008). `report-palette.test.ts` simulates protanopia, deuteranopia and tritanopia and
 * checks that every pair that must be told apart stays apart, and that each colour stands out
 * from the page's background. Colour is never the only cue: the policies' lines also differ in
 * dash and marker, and every block is named in its tooltip. The policies' colours and dashes are
 * the lab's too: they live in `@vmars/cli-support/page`.
 */
export const BLOCK_COLOURS: Readonly<Record<BlockKind, string>> = {
  'machine-stack': '#0072b2',
  'security-stack': '#e69f00',
  'thread-block': '#000000',
};

/** The page's background and the light grey of empty address space. */
export const BACKGROUND = '#ffffff';
export const EMPTY_SPACE = '#f2f2f2';
