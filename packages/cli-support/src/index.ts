export { formatAddress, formatByteSize, parseByteSize } from './byte-size.js';
export { escapeHtml } from './escape-html.js';
export type { RenamedArguments } from './option-names.js';
export { nearestOption, renameOldSpellings, unknownOptionMessage } from './option-names.js';
export type { ProgressBarOptions, ProgressStream } from './progress-bar.js';
export { formatDuration, ProgressBar } from './progress-bar.js';
export type { UsageError, UsageErrorClass } from './usage-error.js';
export { defineUsageError } from './usage-error.js';
