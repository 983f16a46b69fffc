/** Where the bar is drawn: a terminal stream (process.stderr in the CLI). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly columns?: number;
}

/**
 * A progress bar that stays silent for the first `delayMilliseconds` (a run that quick needs
 * none) and redraws at most every `intervalMilliseconds`. The caller decides whether to make one
 * at all (only when stderr is a terminal and the output is not JSON).
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
    this.#delay = options.delayMilliseconds ?? 1000;
    this.#interval = options.intervalMilliseconds ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  /** Reports `done` of `total`; draws if the run has taken long enough and a redraw is due. */
  update(done: number, total: number): void {
    const now = this.#now();
    if (now - this.#start < this.#delay || now - this.#lastDraw < this.#interval) return;
    this.#lastDraw = now;
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const width = Math.max(
      10,
      Math.min(40, (this.#stream.columns ?? 80) - this.#label.length - 12),
    );
    const filled = Math.round(fraction * width);
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    this.#stream.write(
      `\r${this.#label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}`,
    );
    this.#drawn = true;
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
