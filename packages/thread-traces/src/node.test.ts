import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openTraceFile, readStraceParts, readTraceFile, writeTraceFile } from './node.js';
import type { Trace, TraceTask } from './trace-task.js';
import { rejection as refusal } from './trace-test.test-support.js';

const directory = mkdtempSync(join(tmpdir(), 'vmars-traces-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const fixture = (path: string): string =>
  fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

describe('the Node entry point', () => {
  it('reads plain and gzip files alike, telling gzip by its bytes, not its name', async () => {
    const text = readFileSync(fixture('perf/threads-fork-exit.perf.txt'));
    const zipped = join(directory, 'trace.txt');
    writeFileSync(zipped, gzipSync(text));
    const plain = await readTraceFile(fixture('perf/threads-fork-exit.perf.txt'));
    expect(await readTraceFile(zipped)).toEqual(plain);
    let joined = '';
    for await (const chunk of openTraceFile(zipped)) joined += chunk;
    expect(joined).toBe(text.toString('utf8'));
  });

  it('closes the file when the reader stops early, gzip or not', async () => {
    const text = readFileSync(fixture('perf/threads-fork-exit.perf.txt'), 'utf8').repeat(20_000);
    const plain = join(directory, 'early.txt');
    const zipped = join(directory, 'early.txt.gz');
    writeFileSync(plain, text);
    writeFileSync(zipped, gzipSync(text));
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for (const path of [plain, zipped, plain, zipped]) {
      for await (const _chunk of openTraceFile(path)) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBe(before);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const path = join(directory, 'utf8.jsonl');
    // A long header note of multi-byte characters spans many 64 KiB chunks.
    const header = `{"format":"vmars-trace","version":1,"source":"strace","command":"é","date":null,"origin":null,"kindsKnown":true,"notes":{"n":"${'é€'.repeat(50_000)}"}}`;
    writeFileSync(path, `${header}\n`);
    const trace = await readTraceFile(path);
    expect(trace.header.notes?.n).toHaveLength(100_000);
  });

  it('decodes a character split across chunks after ASCII ones, plain and gzip', async () => {
    // The first 1 MiB chunk is all ASCII but for the first byte of "é" at its very end.
    const lines = `${'a'.repeat(99)}\n`.repeat(10_000);
    const text = `${lines}${'b'.repeat(2 ** 20 - 1 - lines.length)}é€x\n`;
    expect(Buffer.from(text).indexOf(Buffer.from('é'))).toBe(2 ** 20 - 1);
    for (const name of ['split.txt', 'split.txt.gz']) {
      const path = join(directory, name);
      writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
      let read = '';
      for await (const chunk of openTraceFile(path)) read += chunk;
      expect(read).toBe(text);
    }
  });

  it('decodes a broken character where it stands, as U+FFFD, even before ASCII chunks', async () => {
    // A lone first byte of a two-byte character ends the first chunk; the next chunks are ASCII.
    const bytes = Buffer.concat([
      Buffer.from('a'.repeat(2 ** 20 - 1)),
      Buffer.from([0xc3]),
      Buffer.from(`${'b'.repeat(2 ** 20)}\n`),
    ]);
    const path = join(directory, 'broken.txt');
    writeFileSync(path, bytes);
    let read = '';
    for await (const chunk of openTraceFile(path)) read += chunk;
    expect(read).toBe(bytes.toString('utf8'));
  });

  it('names the file and the cause when it cannot be read', async () => {
    const missing = join(directory, 'missing.jsonl');
    const error = await refusal(readTraceFile(missing));
    expect(error.code).toBe('READ_FAILED');
    expect(error.file).toBe(missing);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    const broken = join(directory, 'broken.gz');
    writeFileSync(broken, gzipSync('{"format":"vmars-trace"}\n'.repeat(100)).subarray(0, 30));
    const brokenError = await refusal(readTraceFile(broken));
    expect(brokenError.code).toBe('READ_FAILED');
    expect(brokenError.message).toMatch(/broken\.gz: could not read the trace/);
  });

  it('passes on the parsers errors with the file named', async () => {
    const path = join(directory, 'bad.jsonl');
    writeFileSync(path, '{"format":"vmars-trace","version":1}\n');
    const error = await refusal(readTraceFile(path));
    expect(error.code).toBe('SYNTAX');
    expect(error.message).toMatch(/bad\.jsonl:line 1: /);
  });

  it('writes plain and gzip (by the .gz suffix) traces that read back the same', async () => {
    const trace = await readTraceFile(fixture('vmars-trace/attached-and-reused.jsonl'));
    for (const name of ['out.jsonl', 'out.jsonl.gz']) {
      const path = join(directory, name);
      await writeTraceFile(path, trace);
      expect(await readTraceFile(path)).toEqual(trace);
    }
    expect(readFileSync(join(directory, 'out.jsonl'), 'utf8')).toBe(
      gunzipSync(readFileSync(join(directory, 'out.jsonl.gz'))).toString('utf8'),
    );
  });

  it('writes atomically: on failure the old file stays and no temporary file is left', async () => {
    const path = join(directory, 'atomic.jsonl');
    writeFileSync(path, 'before\n');
    const good = (await readTraceFile(fixture('vmars-trace/spec-example.jsonl')))
      .tasks[0] as TraceTask;
    const poisoned = {
      ...good,
      get endSeq(): number {
        throw new Error('a task that cannot be read');
      },
    };
    const trace: Trace = {
      header: (await readTraceFile(fixture('vmars-trace/spec-example.jsonl'))).header,
      tasks: [good, poisoned],
      ignoredLines: 0,
    };
    const before = readdirSync(directory).length;
    const error = await refusal(writeTraceFile(path, trace));
    expect(error.code).toBe('READ_FAILED');
    expect(error.message).toMatch(/a task that cannot be read/);
    expect(readFileSync(path, 'utf8')).toBe('before\n');
    expect(readdirSync(directory)).toHaveLength(before);
    const nowhere = await refusal(writeTraceFile(join(directory, 'no/such/dir.jsonl'), trace));
    expect(nowhere.file).toBe(join(directory, 'no/such/dir.jsonl'));
  });

  it('reads strace -ff parts, each task id from its file name', async () => {
    const ids = [17113, 17114, 17115];
    const trace = await readStraceParts(ids.map((id) => fixture(`strace/ff/eg.${String(id)}`)));
    expect(trace.header.source).toBe('strace');
    expect(new Set(trace.tasks.map((task) => task.id))).toEqual(new Set(ids));
    const zipped = join(directory, 'eg.17114.gz');
    writeFileSync(zipped, gzipSync(readFileSync(fixture('strace/ff/eg.17114'))));
    const mixed = await readStraceParts([
      fixture('strace/ff/eg.17113'),
      zipped,
      fixture('strace/ff/eg.17115'),
    ]);
    expect(mixed.tasks).toEqual(trace.tasks);
    const error = await refusal(
      readStraceParts([fixture('strace/ff/eg.17113'), fixture('perf/README.md')]),
    );
    expect(error.code).toBe('READ_FAILED');
    expect(error.message).toMatch(/named PREFIX\.TID/);
  });
});
