#!/usr/bin/env node
// The root commands that run a program (`pnpm demo`, `pnpm lab`, `pnpm trace`,
// `pnpm report:screenshot`, `pnpm bench`): install and build quietly, then run the program.
//
//   node scripts/quiet-build.mjs --filter=<turbo filter> [--filter=...] -- <node arguments...>
//
// The install's and the build's output are held back: when both succeed (an up-to-date build
// takes a second or two), the program's own output is all that is printed, so that
// `pnpm -s demo --threads -5` prints the demo's one usage line and `pnpm -s demo --json > x.json`
// a clean file. When a step fails, its whole output goes to stderr, then one line naming the step
// and its exit status, and this script exits with that status. The program runs on this same
// Node, with the standard streams inherited, and its exit status (or signal) is passed on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE_EXIT = 2;

function usage(message) {
  process.stderr.write(`quiet-build: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/quiet-build.mjs --filter=<turbo filter> [--filter=...] -- <node arguments...>\n',
  );
  process.exit(USAGE_EXIT);
}

/** Splits this script's arguments from the program's at the first `--`. */
export function splitArguments(argv) {
  const separator = argv.indexOf('--');
  if (separator < 0) usage('expected `--` before the program and its arguments');
  const filters = [];
  for (const argument of argv.slice(0, separator)) {
    const match = /^--filter=(.+)$/.exec(argument);
    if (match === null) usage(`unknown argument ${JSON.stringify(argument)}`);
    filters.push(match[1]);
  }
  if (filters.length === 0) usage('expected at least one --filter=<turbo filter>');
  const program = argv.slice(separator + 1);
  if (program.length === 0) usage('expected the program after `--`');
  return { filters, program };
}

/** Runs one step with its output held back; on failure prints it and exits with its status. */
function quietly(step, command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error !== undefined) {
    process.stderr.write(`${step} could not start: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.stderr.write(result.stdout);
    process.stderr.write(result.stderr);
    const status = result.status ?? 1;
    const how = result.signal === null ? `exit status ${status}` : `signal ${result.signal}`;
    process.stderr.write(`${step} failed (${how})\n`);
    process.exit(status === 0 ? 1 : status);
  }
}

function pnpmCommand() {
  // Under `pnpm run`, npm_execpath is the pnpm that runs us: use the same one (the pinned one).
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: a root script, not a turbo task
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) {
    return /\.(c?js|mjs)$/.test(execPath)
      ? { command: process.execPath, prefix: [execPath] }
      : { command: execPath, prefix: [] };
  }
  return { command: 'pnpm', prefix: [] };
}

function main() {
  const { filters, program } = splitArguments(process.argv.slice(2));
  const pnpm = pnpmCommand();
  quietly('pnpm install --frozen-lockfile', pnpm.command, [
    ...pnpm.prefix,
    'install',
    '--frozen-lockfile',
  ]);
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  if (!existsSync(turbo)) {
    process.stderr.write(`the install did not give ${turbo}\n`);
    process.exit(1);
  }
  quietly(`turbo run build ${filters.map((filter) => `--filter=${filter}`).join(' ')}`, turbo, [
    'run',
    'build',
    ...filters.map((filter) => `--filter=${filter}`),
    '--output-logs=errors-only',
  ]);
  const result = spawnSync(process.execPath, program, { stdio: 'inherit' });
  if (result.error !== undefined) {
    process.stderr.write(`could not start node ${program.join(' ')}: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.signal !== null) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
