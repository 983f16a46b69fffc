import type { LineParser, TaskSink } from './line-parser.js';
import { createPerfParser } from './perf/index.js';
import { sniffTraceFormat } from './sniff.js';
import { createStraceParser } from './strace/index.js';
import { TraceError } from './trace-error.js';
import type { TraceFormat, TraceHeader } from './trace-task.js';
import { createVmarsTraceParser } from './vmars-trace-format.js';

/** How many non-blank lines (besides `#` comments) the sniffer is shown at most. */
const SNIFF_LINES = 8;

/** Makes the parser for a format. */
export function createTraceParser(
  format: TraceFormat,
  sink: TaskSink,
  options: { readonly file?: string | undefined } = {},
): LineParser {
  const parserOptions = options.file === undefined ? {} : { file: options.file };
  switch (format) {
    case 'vmars-trace':
      return createVmarsTraceParser(sink, parserOptions);
    case 'perf':
      return createPerfParser(sink, parserOptions);
    case 'strace':
      return createStraceParser(sink, parserOptions);
  }
}

/**
 * The parser of a format not yet known: holds the first lines until `SNIFF_LINES` of them (or
 * the end) show the format, then hands them, and every line after, to that format's parser.
 */
export class SniffingParser implements LineParser {
  private parser: LineParser | undefined;
  /** Lines held until the format is known. */
  private readonly held: { text: string; number: number }[] = [];
  private counted = 0;

  constructor(
    private readonly sink: TaskSink,
    private readonly file: string | undefined,
  ) {}

  line(text: string, number: number): void {
    if (this.parser !== undefined) {
      this.parser.line(text, number);
      return;
    }
    this.held.push({ text, number });
    if (text.trim().length > 0 && !text.startsWith('#')) this.counted += 1;
    if (this.counted >= SNIFF_LINES) this.parser = this.start();
  }

  end(): void {
    this.parser ??= this.start();
    this.parser.end();
  }

  header(): TraceHeader {
    return this.started().header();
  }

  get ignoredLines(): number {
    return this.started().ignoredLines;
  }

  private started(): LineParser {
    if (this.parser === undefined) {
      throw new Error('SniffingParser: the format is known once the first lines are read');
    }
    return this.parser;
  }

  private start(): LineParser {
    const file = this.file;
    let format: TraceFormat;
    try {
      format = sniffTraceFormat(this.held.map((line) => line.text));
    } catch (error) {
      if (TraceError.isInstance(error) && file !== undefined) {
        throw new TraceError(error.code, error.message, { cause: error, file });
      }
      throw error;
    }
    const made = createTraceParser(format, this.sink, { file });
    for (const { text, number } of this.held) made.line(text, number);
    this.held.length = 0;
    return made;
  }
}
