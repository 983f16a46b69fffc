import { MAX_LINE_LENGTH, TraceError } from './trace-error.js';

/**
 * Cuts text into lines whatever its chunking: `\n` or `\r\n`, the last line with or without a
 * break. Lines are numbered from 1. A line longer than `MAX_LINE_LENGTH` is refused as soon as
 * it is seen, so that a file with no line breaks never fills memory.
 */
export class LineSplitter {
  private rest = '';
  private number = 0;
  /** Whether the last line handed on had no line break after it (a possibly truncated file). */
  lastUnterminated = false;

  constructor(private readonly file: string | undefined) {}

  private tooLong(): never {
    throw new TraceError(
      'TOO_LONG',
      `a line longer than ${String(MAX_LINE_LENGTH)} characters (expected lines of a trace, which are short)`,
      { line: this.number + 1, file: this.file },
    );
  }

  push(chunk: string, onLine: (text: string, number: number) => void): void {
    let from = 0;
    if (this.rest.length > 0) {
      // Only the new chunk can hold the line's end: searching `rest` again for every small
      // chunk of a long line would be quadratic.
      const at = chunk.indexOf('\n');
      if (at < 0) {
        this.rest += chunk;
        if (this.rest.length > MAX_LINE_LENGTH + 1) this.tooLong();
        return;
      }
      let text = this.rest + chunk.slice(0, at);
      this.rest = '';
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.length > MAX_LINE_LENGTH) this.tooLong();
      this.number += 1;
      onLine(text, this.number);
      from = at + 1;
    }
    for (;;) {
      const at = chunk.indexOf('\n', from);
      if (at < 0) break;
      const end = at > from && chunk.charCodeAt(at - 1) === 13 ? at - 1 : at;
      if (end - from > MAX_LINE_LENGTH) this.tooLong();
      this.number += 1;
      onLine(chunk.slice(from, end), this.number);
      from = at + 1;
    }
    if (from < chunk.length) {
      // A trailing "\r" may be the first half of "\r\n": it stays with the rest.
      if (chunk.length - from > MAX_LINE_LENGTH + 1) this.tooLong();
      this.rest = chunk.slice(from);
    }
  }

  finish(onLine: (text: string, number: number) => void): void {
    if (this.rest.length === 0) return;
    let text = this.rest;
    this.rest = '';
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length > MAX_LINE_LENGTH) this.tooLong();
    this.number += 1;
    this.lastUnterminated = true;
    onLine(text, this.number);
  }

  get lines(): number {
    return this.number;
  }
}
