// The Node entry point (`@vmars/thread-traces/node`): reading and writing trace files, plain or
// gzip. The main entry takes text and runs anywhere; this one adds the file system.
import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { orderTraceTasks, type ParseTraceOptions, readTrace, splitLines } from './read-trace.js';
import { parseStraceParts } from './strace/index.js';
import { TraceError } from './trace-error.js';
import type { Trace, TraceTask } from './trace-task.js';
import { writeTrace } from './vmars-trace-format.js';

// The types this entry's signatures take and give, so that importing `./node` alone is enough.
export type { ParseTraceOptions } from './read-trace.js';
export {
  type TaskEnding,
  type TaskKind,
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type Trace,
  type TraceFormat,
  type TraceHeader,
  type TraceSource,
  type TraceTask,
} from './trace-task.js';

const READ_CHUNK_BYTES = 1 << 20;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

function readFailed(path: string, error: unknown, doing: string): TraceError {
  if (TraceError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TraceError('READ_FAILED', `could not ${doing}: ${reason}`, {
    cause: error,
    file: path,
  });
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  } finally {
    await handle.close();
  }
}

/**
 * A trace file's text in chunks, streamed: gzip (told by its magic bytes, not its name) is
 * inflated on the way, UTF-8 decoded across chunk edges. A file that cannot be opened or read,
 * or a broken gzip stream, is a `TraceError` `READ_FAILED` naming the file, with the cause.
 */
export async function* openTraceFile(path: string): AsyncGenerator<string> {
  let stream: AsyncIterable<unknown>;
  try {
    const gzip = await isGzip(path);
    // Chunks of 1 MiB, not the stream's 64 KiB: fewer trips through the event loop, and the
    // parser hands on each chunk's tasks at once.
    const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    if (gzip) {
      const gunzip = createGunzip();
      // Errors of either stream surface through the gunzip stream we iterate, and closing it
      // (a reader that stops early) closes the file too.
      file.on('error', (error) => gunzip.destroy(error));
      gunzip.on('close', () => file.destroy());
      file.pipe(gunzip);
      stream = gunzip;
    } else {
      stream = file;
    }
  } catch (error) {
    throw readFailed(path, error, 'open the trace');
  }
  try {
    yield* decodeUtf8(stream as AsyncIterable<Buffer>);
  } catch (error) {
    throw readFailed(path, error, 'read the trace');
  }
}

/**
 * UTF-8 bytes as text, a character split across chunks decoded whole. Traces are nearly always
 * ASCII: while every chunk so far is, each is read as Latin-1, which for ASCII is the same text
 * and several times faster to make than a UTF-8 decode; from the first other byte on, a UTF-8
 * decoder reads the rest.
 */
async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: StringDecoder | undefined;
  for await (const chunk of chunks) {
    if (decoder === undefined && isAscii(chunk)) {
      yield chunk.toString('latin1');
      continue;
    }
    decoder ??= new StringDecoder('utf8');
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  if (decoder !== undefined) {
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  }
}

/** A trace file of any format (sniffed from its content unless `options.format`), plain or gzip. */
export async function readTraceFile(
  path: string,
  options: Omit<ParseTraceOptions, 'file'> = {},
): Promise<Trace> {
  return readTrace(openTraceFile(path), { ...options, file: path });
}

/** The task id that `strace -ff -o PREFIX` put at the end of a part's name (`PREFIX.1234[.gz]`). */
function partId(path: string): number {
  const name = basename(path).replace(/\.gz$/, '');
  const match = /\.(\d{1,10})$/.exec(name);
  if (match === null) {
    throw new TraceError(
      'READ_FAILED',
      `expected a file of strace -ff -o PREFIX, named PREFIX.TID (like trace.1234), found ${JSON.stringify(basename(path))}`,
      { file: path },
    );
  }
  return Number(match[1]);
}

/**
 * The files of one `strace -f -ff -o PREFIX` run (one per task, `PREFIX.TID`, plain or gzip),
 * merged by time into one trace. A file is open only while the merge reads it (its first line
 * is read once to place it, then it is opened again when its turn comes).
 */
export async function readStraceParts(paths: readonly string[]): Promise<Trace> {
  // A build's run writes thousands of parts: each is open only while the merge is in it.
  const parts = paths.map((path) => ({
    id: partId(path),
    lines: splitLines(openTraceFile(path)),
    reopen: () => splitLines(openTraceFile(path)),
    file: path,
  }));
  const tasks: TraceTask[] = [];
  const { header, ignoredLines } = await parseStraceParts(parts, (task) => {
    tasks.push(task);
  });
  return { header, tasks: orderTraceTasks(tasks), ignoredLines };
}

/** Lines joined into chunks of about 64 KiB: one stream write per line would be the bottleneck. */
function* batched(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Writes `trace` in the project's format, gzip when `path` ends in `.gz`. Atomic: the text goes
 * to a temporary file beside `path`, which is renamed over `path` only when all of it is written
 * and flushed; on any failure the temporary file is removed and `path` is untouched. Errors are
 * `TraceError` `READ_FAILED` naming the file (the one code for the file system's refusals).
 */
export async function writeTraceFile(path: string, trace: Trace): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${String(process.pid)}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temporary, 'wx');
    try {
      const lines = Readable.from(batched(writeTrace(trace)), { objectMode: false });
      const output = async (chunks: AsyncIterable<Buffer | string>): Promise<void> => {
        for await (const chunk of chunks) {
          await (typeof chunk === 'string' ? handle.write(chunk) : handle.write(chunk));
        }
      };
      if (path.endsWith('.gz')) await pipeline(lines, createGzip(), output);
      else await pipeline(lines, output);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw readFailed(path, error, 'write the trace');
  }
}
