/**
 * The demo page's script: the entry that the build bundles (with `@vmars/cli-support/page`) into
 * `src/page-script.generated.ts`, which `renderHtml` puts into the page. It reads the page's data
 * (`<script type="application/json" id="report-data">`, `PageData`), draws the maps at the frame
 * the slider is on (the peak's at first), shows a tooltip for whatever is under the mouse or
 * focused, zooms into a compact VMAR, plays the frames, and lets the keyboard walk the charts.
 * Tested in Chromium (`report.browser.test.ts`); the parts that compute, beside their modules.
 */
import { createTooltip } from '@vmars/cli-support/page';
import type { PageData } from '../report-page-data.js';
import { chartPoints } from './chart-points.js';
import { PolicyView } from './policy-view.js';
import { timeControls } from './time-controls.js';

function start(): void {
  const dataElement = document.getElementById('report-data');
  if (dataElement === null) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as PageData;
  const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const tooltip = createTooltip(byId('tooltip'));
  const figures = [...document.querySelectorAll<HTMLElement>('figure.map-figure')];
  const views = data.policies.flatMap((policy) => {
    const figure = figures.find((element) => element.dataset.policy === policy.policy);
    return figure === undefined ? [] : [new PolicyView(data, tooltip, policy, figure)];
  });
  const setFrame = timeControls(
    data,
    {
      slider: byId('frame'),
      play: byId('play'),
      peak: byId('to-peak'),
      label: byId('frame-label'),
    },
    (frame) => {
      for (const view of views) view.draw(frame);
    },
  );
  for (const chart of document.querySelectorAll<SVGSVGElement>('svg.chart')) {
    chartPoints(chart, tooltip, data.trace?.decimals ?? 6);
  }
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') tooltip.hide();
  });
  setFrame(data.peakFrame);
}

start();
