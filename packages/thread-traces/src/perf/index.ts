export { createPerfParser, type PerfParserOptions } from './perf-parser.js';
