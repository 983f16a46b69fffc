#!/usr/bin/env node
import { main } from './main.js';

// exitCode, not exit(): a large --json report on a pipe must be flushed before Node leaves.
process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
