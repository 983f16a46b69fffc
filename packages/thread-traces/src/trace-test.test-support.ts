import { TraceError } from './trace-error.js';
import type { TraceTask } from './trace-task.js';

/** The `TraceError` that `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<TraceError> {
  try {
    await promise;
  } catch (error) {
    if (TraceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a TraceError');
}

/** `text` cut into chunks at the given places (in order). */
export function cutAt(text: string, places: readonly number[]): string[] {
  const chunks: string[] = [];
  let from = 0;
  for (const place of places) {
    chunks.push(text.slice(from, place));
    from = place;
  }
  chunks.push(text.slice(from));
  return chunks;
}

/** The fields of each task named by `fields`, in that order: rows a test can compare at a glance. */
export function taskRows<K extends keyof TraceTask>(
  tasks: readonly TraceTask[],
  fields: readonly K[],
): TraceTask[K][][] {
  return tasks.map((task) => fields.map((field) => task[field]));
}
