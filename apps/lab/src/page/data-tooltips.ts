import type { Tooltip } from '@vmars/cli-support/page';
import { focusStep } from './focus-step.js';

const SELECTOR = '[data-tooltip]';

/**
 * Every Pareto point, heatmap cell and time series is an element with `tabindex="0"`, an
 * `aria-label` and a `data-tooltip` (its numbers, one fact a line): this shows that text beside
 * the element under the mouse or with the keyboard's focus. Within a chart, the arrow keys move
 * the focus to the next or previous such element, Home and End to the first and last, and Escape
 * hides the tooltip. One set of listeners on the document serves every chart.
 */
export function showDataTooltips(root: Document, tooltip: Tooltip): void {
  const target = (event: Event): Element | null =>
    event.target instanceof Element ? event.target.closest(SELECTOR) : null;
  const text = (element: Element): string => element.getAttribute('data-tooltip') ?? '';

  root.addEventListener('mouseover', (event) => {
    const element = target(event);
    if (element !== null) tooltip.show(text(element), event.clientX, event.clientY);
  });
  root.addEventListener('mouseout', (event) => {
    if (target(event) !== null && root.activeElement?.closest(SELECTOR) == null) tooltip.hide();
  });
  root.addEventListener('focusin', (event) => {
    const element = target(event);
    if (element === null) tooltip.hide();
    else tooltip.showBeside(element, text(element));
  });
  root.addEventListener('focusout', (event) => {
    if (target(event) !== null) tooltip.hide();
  });
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      tooltip.hide();
      return;
    }
    const element = target(event);
    const chart = element?.closest('svg');
    if (element == null || chart == null) return;
    const items = [...chart.querySelectorAll<SVGElement>(SELECTOR)];
    const index = focusStep(event.key, items.indexOf(element as SVGElement), items.length);
    if (index === undefined) return;
    event.preventDefault();
    items[index]?.focus();
  });
}
