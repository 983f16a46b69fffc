import type { Tooltip } from '@vmars/cli-support/page';
import { describePoint } from './describe.js';

/**
 * Where the arrow keys, Home and End move among a chart's points, one list per policy, from
 * point `at` of line `line`: along the line (left, right, first, last) or to the same sample of
 * the line above or below (wrapping). `undefined` for any other key.
 */
export function pointStep(
  key: string,
  line: number,
  at: number,
  lengths: readonly number[],
): { line: number; index: number } | undefined {
  const length = lengths[line] ?? 0;
  if (key === 'ArrowRight') return { line, index: Math.min(length - 1, at + 1) };
  if (key === 'ArrowLeft') return { line, index: Math.max(0, at - 1) };
  if (key === 'Home') return { line, index: 0 };
  if (key === 'End') return { line, index: length - 1 };
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const other = (line + (key === 'ArrowUp' ? -1 : 1) + lengths.length) % lengths.length;
    return { line: other, index: Math.max(0, at) };
  }
  return undefined;
}

/**
 * A chart's points (`circle.point`): a tooltip for the one under the mouse, and with the chart
 * focused the arrow keys step through them (the active one grows), Escape lets go.
 */
export function chartPoints(chart: SVGSVGElement, tooltip: Tooltip, decimals: number): void {
  const unit = chart.dataset.unit ?? '';
  const points = [...chart.querySelectorAll<SVGCircleElement>('circle.point')];
  const policies = [...new Set(points.map((point) => point.dataset.policy ?? ''))];
  const byPolicy = policies.map((policy) =>
    points.filter((point) => point.dataset.policy === policy),
  );
  const describe = (point: SVGCircleElement): string => {
    const { policy = '', event, value, time } = point.dataset;
    const numbers = { policy, event: Number(event), value: Number(value) };
    return describePoint(numbers, time === undefined ? undefined : Number(time), unit, decimals);
  };
  let active: SVGCircleElement | undefined;
  const activate = (point: SVGCircleElement | undefined): void => {
    active?.classList.remove('active');
    active?.setAttribute('r', '3.5');
    active = point;
    if (point === undefined) return;
    point.classList.add('active');
    point.setAttribute('r', '6');
    tooltip.showBeside(point, describe(point));
  };
  chart.addEventListener('mouseover', (event) => {
    const point = (event.target as Element).closest('circle.point');
    if (point !== null) {
      tooltip.show(describe(point as SVGCircleElement), event.clientX, event.clientY);
    }
  });
  chart.addEventListener('mouseout', (event) => {
    if ((event.target as Element).closest('circle.point') !== null) tooltip.hide();
  });
  chart.addEventListener('blur', () => {
    activate(undefined);
    tooltip.hide();
  });
  chart.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      activate(undefined);
      tooltip.hide();
      return;
    }
    const line = active === undefined ? 0 : policies.indexOf(active.dataset.policy ?? '');
    const at = active === undefined ? -1 : (byPolicy[line] ?? []).indexOf(active);
    const lengths = byPolicy.map((list) => list.length);
    const step = pointStep(event.key, line, at, lengths);
    if (step === undefined) return;
    event.preventDefault();
    activate(byPolicy[step.line]?.[step.index]);
  });
}
