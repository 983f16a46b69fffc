export type { LineParser, TaskSink } from './line-parser.js';
export { createPerfParser, type PerfParserOptions } from './perf/index.js';
export {
  createTraceParser,
  orderTraceTasks,
  type ParsedTraceEnd,
  type ParseTraceOptions,
  parseTrace,
  readTrace,
  splitLines,
  type TraceChunks,
  type TraceTaskStream,
} from './read-trace.js';
export { sniffTraceFormat } from './sniff.js';
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
export {
  createVmarsTraceParser,
  formatTraceHeader,
  formatTraceRecord,
  type VmarsTraceParserOptions,
  writeTrace,
} from './vmars-trace-format.js';
