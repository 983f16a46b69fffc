/** Where the bar is drawn: a terminal stream (process.stderr in the CLI). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly columns?: number;
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
 * A progress bar with the runs done and an ETA (from the rate so far), silent for the first
 * `delayMilliseconds` and redrawn at most every `intervalMilliseconds`. The caller makes one only
 * when stderr is a terminal.
 */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #label: string;
  readonly #delay: number;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #start: number;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(
    stream: ProgressStream,
    label: string,
    options: { delayMilliseconds?: number; intervalMilliseconds?: number; now?: () => number } = {},
  ) {
    this.#stream = stream;
    this.#label = label;
    this.#delay = options.delayMilliseconds ?? 500;
    this.#interval = options.intervalMilliseconds ?? 200;
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  /** Reports `done` of `total` runs; draws if the sweep has taken long enough and a redraw is due. */
  update(done: number, total: number): void {
    const now = this.#now();
    if (now - this.#start < this.#delay || now - this.#lastDraw < this.#interval) return;
    this.#lastDraw = now;
    this.#stream.write(`\r${this.line(done, total, now - this.#start)}\u001b[K`);
    this.#drawn = true;
  }

  /** The bar's text for `done` of `total` after `elapsedMilliseconds`. */
  line(done: number, total: number, elapsedMilliseconds: number): string {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const eta =
      done === 0 ? '?' : formatDuration(((total - done) * elapsedMilliseconds) / done / 1000);
    const counts = `${String(done)}/${String(total)} runs, ETA ${eta}`;
    const width = Math.max(
      10,
      Math.min(40, (this.#stream.columns ?? 80) - this.#label.length - counts.length - 12),
    );
    const filled = Math.round(fraction * width);
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    return `${this.#label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent} ${counts}`;
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
