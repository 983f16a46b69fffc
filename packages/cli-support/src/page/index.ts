/**
 * What the reports' pages share, for the page scripts (bundled into the HTML at build time) and
 * for the code that writes the pages: the tooltip, the policies' colours and dashes, and the
 * byte and address formats the markup uses too. Nothing here touches Node.
 */
export { formatAddress, formatByteSize } from '../byte-size.js';

export {
  OTHER_POLICY_COLOUR,
  OTHER_POLICY_DASH,
  POLICY_COLOURS,
  POLICY_DASHES,
  policyColour,
  policyDash,
} from './policy-style.js';
export type { Size, Tooltip, TooltipAnchor, TooltipElement } from './tooltip.js';
export { createTooltip, tooltipPosition } from './tooltip.js';
