import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { createStraceParser } from './strace-parser.js';
import { scaleTraceLines } from './strace-scale.test-support.js';

// A full collection on demand, to weigh what the parser keeps (not the garbage it made).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const heapAfterCollection = (): number => {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
};

// The bench (`trace-parse-heap`) holds the full 1,000,000 tasks to 100 MB; here, a fifth of that,
// enough that the heap's flatness shows and quick enough for the test command on a busy machine.
it('parses 200,000 tasks (at most 1,000 alive) holding what is alive, not the file', () => {
  const tasks = 200_000;
  const before = heapAfterCollection();
  let received = 0;
  let receivedThreads = 0;
  const parser = createStraceParser((task) => {
    received += 1;
    if (task.kind === 'thread') receivedThreads += 1;
  });
  let number = 0;
  let early = 0;
  let late = 0;
  let most = 0;
  for (const line of scaleTraceLines({ tasks, mostAlive: 1000 })) {
    number += 1;
    parser.line(line, number);
    if (number % 200_000 === 0) {
      const used = heapAfterCollection();
      if (early === 0) early = used;
      late = used;
      most = Math.max(most, used);
    }
  }
  parser.end();
  expect(received).toBe(tasks);
  expect(receivedThreads).toBeGreaterThan(tasks / 5);
  // A million lines (about 110 MB of text) in; what stays is the live tasks' state.
  expect(number).toBeGreaterThan(1_000_000);
  expect(most - before).toBeLessThan(100 * 1024 * 1024);
  expect(late - early).toBeLessThan(8 * 1024 * 1024);
});
