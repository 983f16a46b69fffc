import type { LineParser, TaskSink } from './line-parser.js';
import { TraceError } from './trace-error.js';
import type { TraceHeader } from './trace-task.js';
import { CanonicalScanner, type MutableTask } from './vmars-trace/canonical-record.js';
import { parseHeader } from './vmars-trace/header.js';
import { checkTask, parseRecord, RECORD_EXAMPLE } from './vmars-trace/json-record.js';
import { refuse } from './vmars-trace/refuse.js';
import { SequenceCheck } from './vmars-trace/sequence-check.js';

export { formatTraceHeader, formatTraceRecord, writeTrace } from './vmars-trace/write.js';

/**
 * The project's own format, "vmars-trace" version 1: JSON Lines, a header first, then one record
 * per task in the order the tasks ended (the censored ones last):
 *
 *   {"format":"vmars-trace","version":1,"source":"strace","command":"make -j2","date":null,"origin":"1733534822.123456","kindsKnown":true}
 *   {"id":1235,"parent":1234,"kind":"thread","start":120,"end":5400,"seq":[3,9],"ending":"exit","code":0}
 *
 * The reader checks everything a replay relies on: every field and its type, `seq` as one
 * sequence (each of 0..M-1 exactly once, a start before its end, times never decreasing along
 * it), `ending` null exactly when `end` is, and no id alive twice at once.
 */

export interface VmarsTraceParserOptions {
  /** Named in errors. */
  readonly file?: string;
}

/**
 * A reader of the project's format. Each record goes to `sink` at once; the checks that need
 * the whole sequence (every number present, no id alive twice, times in order) run at `end()`.
 */
export function createVmarsTraceParser(
  sink: TaskSink,
  options: VmarsTraceParserOptions = {},
): LineParser {
  return new VmarsTraceParser(sink, options.file);
}

class VmarsTraceParser implements LineParser {
  private readHeader: TraceHeader | undefined;
  private ignored = 0;
  private lastLine = 0;
  private readonly scanner = new CanonicalScanner();
  private readonly sequence: SequenceCheck;

  constructor(
    private readonly sink: TaskSink,
    private readonly file: string | undefined,
  ) {
    this.sequence = new SequenceCheck(file);
  }

  line(text: string, number: number): void {
    this.lastLine = number;
    // A record starts with "{": only other lines need the look for white space.
    if (text.charCodeAt(0) !== 123 && text.trim().length === 0) {
      if (this.readHeader === undefined) {
        refuse(
          'SYNTAX',
          'expected the vmars-trace header first, found a blank line',
          number,
          this.file,
        );
      }
      this.ignored += 1;
      return;
    }
    const header = this.readHeader;
    if (header === undefined) {
      this.readHeader = parseHeader(
        this.json(text, number, 'the vmars-trace header'),
        number,
        this.file,
      );
      return;
    }
    // The writer's own layout is read by a linear regular expression and a scanner, several
    // times faster than JSON.parse; any other layout of the same JSON goes through JSON.parse.
    // Both give a task whose fields' types are checked, to the same checks of how they fit.
    const task: MutableTask =
      this.scanner.read(text) ??
      parseRecord(
        this.json(text, number, `a task record like ${RECORD_EXAMPLE}`),
        number,
        this.file,
      );
    checkTask(task, header.kindsKnown, number, this.file);
    this.sequence.record(task.id, task.startSeq, task.start, task.endSeq, task.end, number);
    this.sink(task);
  }

  private json(text: string, number: number, expected: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new TraceError(
        'SYNTAX',
        `expected ${expected} as one JSON object, found text that is not JSON (${(error as Error).message})`,
        { cause: error, line: number, file: this.file },
      );
    }
  }

  end(): void {
    if (this.readHeader === undefined) {
      refuse(
        'SYNTAX',
        'expected the vmars-trace header, found an empty file',
        Math.max(this.lastLine, 1),
        this.file,
      );
    }
    this.sequence.finish(this.lastLine);
  }

  header(): TraceHeader {
    if (this.readHeader === undefined) {
      throw new TraceError('SYNTAX', 'no vmars-trace header has been read', { file: this.file });
    }
    return this.readHeader;
  }

  get ignoredLines(): number {
    return this.ignored;
  }
}
