export type { BrowserContext, Page } from 'playwright-core';
export type { BrowserSession } from './chromium.js';
export {
  CHROMIUM_ARGS,
  CHROMIUM_ENV,
  CHROMIUM_MISSING,
  CHROMIUM_PATHS,
  chromiumForTests,
  findChromium,
  launchChromium,
} from './chromium.js';
export type { ColourVision } from './colour-vision.js';
export {
  COLOUR_VISIONS,
  colourDifference,
  contrastRatio,
  lightness,
  OKABE_ITO,
} from './colour-vision.js';
export type { PageScriptModule } from './page-script-bundle.js';
export {
  appPageScript,
  bundlePageScript,
  pageScriptModuleText,
  writePageScriptModule,
} from './page-script-bundle.js';
export type { OpenedReport, PageProblems } from './report-page-checks.js';
export {
  horizontalOverflow,
  openReport,
  saveScreenshot,
  svgSizes,
  tooltipText,
} from './report-page-checks.js';
export type { ReportBrowserTest, SuiteHooks } from './report-test.js';
export { reportBrowserTest } from './report-test.js';
