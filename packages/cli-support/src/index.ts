export { formatAddress, formatByteSize, parseByteSize } from './byte-size.js';
export type { ProgressBarOptions, ProgressStream } from './progress-bar.js';
export { formatDuration, ProgressBar } from './progress-bar.js';
