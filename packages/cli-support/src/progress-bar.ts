/** Where the bar is drawn: a terminal stream (process.stderr in the CLI). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly columns?: number;
}

/** How a `ProgressBar` draws; every field is optional. */
export interface ProgressBarOptions {
  /** Silence at the start, so that a quick run shows no bar (default 1000 ms). */
  delayMilliseconds?: number;
  /** The least time between two redraws (default 100 ms). */
  intervalMilliseconds?: number;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
  /**
   * What is counted (`"runs"`). When given, the bar also shows `done/total <unit>, ETA …`; without
   * it the bar is the label, the bar and the percentage only.
   */
  unit?: string;
}

/** `75s` as `1m15s`; under a minute as `42s`. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${String(whole)}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${String(minutes)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${String(Math.floor(minutes / 60))}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * A progress bar that stays silent for the first `delayMilliseconds` (a run that quick needs
 * none) and redraws at most every `intervalMilliseconds`; with a `unit`, it also shows the count
 * done and an ETA from the rate so far. The caller decides whether to make one at all (only when
 * stderr is a terminal).
 */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #label: string;
  readonly #delay: number;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #unit: string | undefined;
  readonly #start: number;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(stream: ProgressStream, label: string, options: ProgressBarOptions = {}) {
    this.#stream = stream;
    this.#label = label;
    this.#delay = options.delayMilliseconds ?? 1000;
    this.#interval = options.intervalMilliseconds ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#unit = options.unit;
    this.#start = this.#now();
  }

  /** Reports `done` of `total`; draws if the run has taken long enough and a redraw is due. */
  update(done: number, total: number): void {
    const now = this.#now();
    if (now - this.#start < this.#delay || now - this.#lastDraw < this.#interval) return;
    this.#lastDraw = now;
    // Without counts every line has the same length; with them the ETA can shrink ("1m05s" to
    // "59s"), so the rest of the previous line is erased.
    const erase = this.#unit === undefined ? '' : '\u001b[K';
    this.#stream.write(`\r${this.line(done, total, now - this.#start)}${erase}`);
    this.#drawn = true;
  }

  /** The bar's text for `done` of `total` after `elapsedMilliseconds`. */
  line(done: number, total: number, elapsedMilliseconds: number): string {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    let counts = '';
    if (this.#unit !== undefined) {
      const eta =
        done === 0 ? '?' : formatDuration(((total - done) * elapsedMilliseconds) / done / 1000);
      counts = ` ${String(done)}/${String(total)} ${this.#unit}, ETA ${eta}`;
    }
    const width = Math.max(
      10,
      Math.min(40, (this.#stream.columns ?? 80) - this.#label.length - counts.length - 12),
    );
    const filled = Math.round(fraction * width);
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    return `${this.#label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}${counts}`;
  }

  /** Erases the bar, if it was drawn, so that what follows starts on a clean line. */
  finish(): void {
    if (this.#drawn) this.#stream.write('\r\u001b[2K');
    this.#drawn = false;
  }

  /** Whether anything was drawn (for tests). */
  get drawn(): boolean {
    return this.#drawn;
  }
}
