/** Reads decimal integers, keeping where the last one ended: each reader owns one, so a read allocates nothing. */
export class IntegerReader {
  /** The index just past the last integer read. */
  end = 0;

  /** A decimal integer (optionally negative, at most 15 digits) at `position`, or null. */
  read(text: string, position: number): number | null {
    let index = position;
    let negative = false;
    if (text.charCodeAt(index) === 45) {
      negative = true;
      index += 1;
    }
    let value = 0;
    const start = index;
    let code = text.charCodeAt(index);
    while (code >= 48 && code <= 57 && index - start < 15) {
      value = value * 10 + (code - 48);
      index += 1;
      code = text.charCodeAt(index);
    }
    if (index === start) return null;
    this.end = index;
    return negative ? -value : value;
  }
}

export function isName(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) {
    const code = text.charCodeAt(index);
    const ok =
      (code >= 97 && code <= 122) ||
      (code >= 48 && code <= 57) ||
      code === 95 ||
      (code >= 65 && code <= 90) ||
      code === 63;
    if (!ok) return false;
  }
  return true;
}

export function quote(text: string, from: number): string {
  const shown = text.length - from > 80 ? `${text.slice(from, from + 80)}...` : text.slice(from);
  return JSON.stringify(shown);
}

/**
 * The command from the first `execve("/usr/bin/sh", ["sh", "-c", "true & wait"], ...)`: its
 * argv's strings joined by spaces (quoted where they hold a space), as strace shows them (it
 * cuts long strings with `...`). Null when the line is not an execve with an argv.
 */
export function commandOf(rest: string, at: number): string | null {
  if (!rest.startsWith('execve(', at)) return null;
  const open = rest.indexOf('[', at);
  if (open < 0) return null;
  const words: string[] = [];
  let index = open + 1;
  while (rest.charCodeAt(index) === 34 /* " */) {
    let word = '';
    index += 1;
    while (index < rest.length && rest.charCodeAt(index) !== 34) {
      if (rest.charCodeAt(index) === 92 /* \ */) {
        index += 1;
        const escaped = rest[index] ?? '';
        word += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      } else {
        word += rest[index];
      }
      index += 1;
    }
    index += 1;
    if (rest.startsWith('...', index)) {
      word += '...';
      index += 3;
    }
    words.push(
      /[\s'"\\$&|;<>()*?]/.test(word) || word === '' ? `'${word.replaceAll("'", "'\\''")}'` : word,
    );
    if (rest.startsWith(', ', index)) index += 2;
    else break;
  }
  return words.length === 0 ? null : words.join(' ');
}
