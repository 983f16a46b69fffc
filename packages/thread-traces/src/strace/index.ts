export { createStraceParser, type StraceParserOptions } from './strace-parser.js';
export { parseStraceParts, type StracePart } from './strace-parts.js';
export { STRACE_RECORD_ARGUMENTS } from './strace-record-arguments.js';
