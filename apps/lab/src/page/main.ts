/**
 * The lab page's script: the entry that the build bundles (with `@vmars/cli-support/page`) into
 * `src/page-script.generated.ts`, which `renderLabHtml` puts into the page. Tested in Chromium
 * (`lab-report.browser.test.ts`).
 */
import { createTooltip } from '@vmars/cli-support/page';
import { showDataTooltips } from './data-tooltips.js';

const element = document.getElementById('tooltip');
if (element !== null) showDataTooltips(document, createTooltip(element));
