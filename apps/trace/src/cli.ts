#!/usr/bin/env node
import { exitQuietlyOnBrokenPipe } from './broken-pipe.js';
import { main } from './main.js';

exitQuietlyOnBrokenPipe(process.stdout);

// exitCode, not exit(): a long --json or table on a pipe must be flushed before Node leaves.
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
