export type { ErrorEmitter } from './broken-pipe.js';
export { exitQuietlyOnBrokenPipe } from './broken-pipe.js';
export { formatAddress, formatByteSize, parseByteSize } from './byte-size.js';
export type { CliIo } from './cli-io.js';
export { escapeHtml } from './escape-html.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-status.js';
export type { RenamedArguments } from './option-names.js';
export { nearestOption, renameOldSpellings, unknownOptionMessage } from './option-names.js';
export type {
  CommandLineSpec,
  ParseArgsOptionsConfig,
  ParsedCommandLine,
} from './parse-options.js';
export { joinOptionValues, parseCommandLine } from './parse-options.js';
export type { ProgressBarOptions, ProgressStream } from './progress-bar.js';
export { formatDuration, ProgressBar } from './progress-bar.js';
export type { ErrorReport } from './report-error.js';
export { describeError, reportError } from './report-error.js';
export type { CapturedRun } from './run-captured.js';
export { runCaptured } from './run-captured.js';
export type { CliMain } from './run-cli.js';
export { runCli } from './run-cli.js';
export type { UsageError, UsageErrorClass } from './usage-error.js';
export { defineUsageError } from './usage-error.js';
