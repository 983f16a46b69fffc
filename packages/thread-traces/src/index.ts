export type { LineParser, TaskSink } from './line-parser.js';
export {
  createStraceParser,
  parseStraceParts,
  STRACE_RECORD_ARGUMENTS,
  type StraceParserOptions,
  type StracePart,
} from './strace/index.js';
export { type TaskEvents, taskEvents } from './task-events.js';
export { MAX_LINE_LENGTH, TraceError, type TraceErrorCode } from './trace-error.js';
export { type LifetimeQuantiles, type TraceStats, traceStats } from './trace-stats.js';
export {
  type TaskEnding,
  type TaskKind,
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type Trace,
  type TraceFormat,
  type TraceHeader,
  type TraceSource,
  type TraceTask,
} from './trace-task.js';
