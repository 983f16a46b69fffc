/**
 * One colour and one line dash per policy, the same in every report (the demo's and the lab's):
 * Okabe and Ito's colours ("Color Universal Design", 2008), each policy its own dash as well so
 * that colour is never the only cue. The apps check them under simulated colour blindness
 * (`lab-palette.test.ts`, `report-palette.test.ts`).
 */
export const POLICY_COLOURS: Readonly<Record<string, string>> = {
  compact: '#0072b2',
  root: '#d55e00',
  aligned: '#009e73',
  'exact-probe': '#cc79a7',
  shrinking: '#e69f00',
  'shared-list': '#000000',
};

/** A policy of the caller's own, not one of the named ones. */
export const OTHER_POLICY_COLOUR = '#777777';

/** The policies' line dashes (`stroke-dasharray`; empty for a solid line). */
export const POLICY_DASHES: Readonly<Record<string, string>> = {
  compact: '',
  root: '6 3',
  aligned: '2 2',
  'exact-probe': '8 3 2 3',
  shrinking: '4 4',
  'shared-list': '1 3',
};

export const OTHER_POLICY_DASH = '3 2 1 2';

export function policyColour(policy: string): string {
  return POLICY_COLOURS[policy] ?? OTHER_POLICY_COLOUR;
}

export function policyDash(policy: string): string {
  return POLICY_DASHES[policy] ?? OTHER_POLICY_DASH;
}
