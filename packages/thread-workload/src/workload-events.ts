/**
 * What the engine replays of any workload: the order in which Linux threads are created and end.
 * `events[i] >= 0` creates thread `events[i]`; `events[i] < 0` ends thread `-events[i] - 1`
 * (`~events[i]`). Threads are numbered in creation order; each is created once and ends once.
 */
export interface WorkloadEvents {
  /** Thread lifecycles in all: `events` holds twice as many events. */
  readonly threads: number;
  /** The most threads alive at once. */
  readonly peak: number;
  readonly events: Int32Array;
  /** The index of the first event after which `peak` threads are alive. */
  readonly peakEvent: number;
}
