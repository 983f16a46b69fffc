/**
 * The lab's shards on engines users already have (deploy/): reads the Kubernetes Indexed Job and
 * the GitHub Actions workflow, runs the commands they name here, once per index with the
 * environment the engine would set (JOB_COMPLETION_INDEX in a pod; strategy.job-index and
 * job-total in a matrix job), runs their merge step, and checks that the merged results are
 * exactly those of the same sweep run whole. Needs the lab built, as the root `test` script does
 * first.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '..');
const deploy = join(root, 'deploy');

interface RunRecord {
  readonly key: string;
  readonly microsecondsPerLifecycle?: number;
  readonly [field: string]: unknown;
}
interface ResultsFile {
  readonly sweep: { readonly hash: string; readonly spec: unknown };
  readonly complete: boolean;
  readonly runs: readonly RunRecord[];
  readonly cells: readonly { readonly timing?: unknown; readonly [field: string]: unknown }[];
}

let work = '';
let bin = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vmars-deploy-'));
  bin = join(work, 'bin');
  mkdirSync(bin);
  // The image puts `vmars-lab` on PATH with a link (deploy/Containerfile): the same here, with the
  // image's /vmars/ the repository.
  const containerfile = readFileSync(join(deploy, 'Containerfile'), 'utf8');
  const link = /^RUN ln -s (\S+) \/usr\/local\/bin\/vmars-lab$/m.exec(containerfile);
  if (link?.[1] === undefined) throw new Error('deploy/Containerfile: no `RUN ln -s … vmars-lab`');
  const workdir = /^WORKDIR (\S+)$/m.exec(containerfile)?.[1];
  if (workdir === undefined) throw new Error('deploy/Containerfile: no WORKDIR');
  const target = join(root, link[1].replace(new RegExp(`^${workdir}/?`), ''));
  const shim = join(bin, 'vmars-lab');
  // The shim also logs each command line, so that the test can run the same sweep whole.
  writeFileSync(
    shim,
    [
      `#!${process.execPath}`,
      "const { appendFileSync } = require('node:fs');",
      "const { spawnSync } = require('node:child_process');",
      'const log = process.env.VMARS_LAB_ARGV_LOG;',
      "if (log) appendFileSync(log, JSON.stringify(process.argv.slice(2)) + '\\n');",
      `const result = spawnSync(process.execPath, [${JSON.stringify(target)}, ...process.argv.slice(2)], { stdio: 'inherit' });`,
      'process.exit(result.status ?? 1);',
      '',
    ].join('\n'),
  );
  chmodSync(shim, 0o755);
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: readonly string[], env: Record<string, string>, cwd = root) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${String(result.status)}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function read(path: string): ResultsFile {
  return JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
}

/**
 * The merged results against the same sweep run whole here: the first sweep command the engine
 * ran (logged by the shim), without its `--shard` and `--out`.
 */
function expectWholeSweep(mergedPath: string, folder: string, argvLog: string): void {
  const merged = read(mergedPath);
  expect(merged.complete).toBe(true);
  const commands = readFileSync(argvLog, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
  const sweep = commands.find((argv) => argv.includes('--shard'));
  if (sweep === undefined) throw new Error('no command with --shard was run');
  const wholeArgs: string[] = [];
  for (let index = 0; index < sweep.length; index += 1) {
    const argument = sweep[index] as string;
    if (argument === '--shard' || argument === '--out') index += 1;
    else if (!argument.startsWith('--shard=') && !argument.startsWith('--out='))
      wholeArgs.push(argument);
  }
  const whole = join(folder, 'whole.json');
  run('vmars-lab', [...wholeArgs, '--out', whole], {});
  const expected = read(whole);
  expect(expected.complete).toBe(true);
  expect(merged.sweep.hash).toBe(expected.sweep.hash);
  const withoutTiming = (results: ResultsFile) =>
    results.runs.map(({ microsecondsPerLifecycle: _timing, ...rest }) => rest);
  expect(withoutTiming(merged)).toEqual(withoutTiming(expected));
  expect(merged.cells.map(({ timing: _timing, ...rest }) => rest)).toEqual(
    expected.cells.map(({ timing: _timing, ...rest }) => rest),
  );
  expect(merged.runs.length).toBeGreaterThan(1);
}

interface Container {
  readonly command: string[];
  readonly args?: string[];
  readonly env?: { name: string; value: string }[];
}

function container(file: string): { job: Record<string, unknown>; container: Container } {
  const job = parse(readFileSync(join(deploy, 'kubernetes', file), 'utf8')) as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const [first] = job.spec.template.spec.containers;
  if (first === undefined) throw new Error(`${file}: no container`);
  return { job: job as unknown as Record<string, unknown>, container: first };
}

function containerEnv(each: Container, resultsDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of each.env ?? []) env[name] = value;
  // The volume mounted at /results is a folder here.
  env.RESULTS_DIR = resultsDir;
  return env;
}

describe('deploy/kubernetes: an Indexed Job per shard, then the merge Job', () => {
  it('gives, merged, exactly the whole sweep', () => {
    const folder = join(work, 'kubernetes');
    const results = join(folder, 'results');
    mkdirSync(results, { recursive: true });
    const sweep = container('lab-sweep-job.yaml');
    const spec = (sweep.job as { spec: { completionMode: string; completions: number } }).spec;
    expect(spec.completionMode).toBe('Indexed');
    const argvLog = join(folder, 'argv.log');
    const env: Record<string, string> = {
      ...containerEnv(sweep.container, results),
      VMARS_LAB_ARGV_LOG: argvLog,
    };
    expect(Number(env.SHARD_COUNT)).toBe(spec.completions);
    const [command, ...commandArgs] = sweep.container.command;
    if (command === undefined) throw new Error('lab-sweep-job.yaml: no command');
    for (let index = 0; index < spec.completions; index += 1) {
      run(command, [...commandArgs, ...(sweep.container.args ?? [])], {
        ...env,
        JOB_COMPLETION_INDEX: String(index),
      });
    }
    const merge = container('lab-merge-job.yaml');
    const [mergeCommand, ...mergeArgs] = merge.container.command;
    if (mergeCommand === undefined) throw new Error('lab-merge-job.yaml: no command');
    run(
      mergeCommand,
      [...mergeArgs, ...(merge.container.args ?? [])],
      containerEnv(merge.container, results),
    );
    expectWholeSweep(join(results, 'sweep.json'), folder, argvLog);
  });
});

describe('deploy/github-actions: a matrix job per shard, then the merge job', () => {
  interface Step {
    readonly name?: string;
    readonly run?: string;
  }
  interface Job {
    readonly env?: Record<string, string>;
    readonly strategy?: { matrix: Record<string, unknown[]> };
    readonly steps: Step[];
  }

  /** A step's script with the expressions the runner would fill in. */
  function script(step: Step, values: Record<string, string>): string {
    return (step.run ?? '').replace(/\$\{\{\s*([a-z.-]+)\s*\}\}/g, (expression, name: string) => {
      const value = values[name];
      if (value === undefined)
        throw new Error(`no value for ${expression} in the step "${step.name}"`);
      return value;
    });
  }

  function named(job: Job, name: string): Step {
    const step = job.steps.find((each) => each.name === name);
    if (step === undefined) throw new Error(`lab-sweep.yml: no step "${name}"`);
    return step;
  }

  it('gives, merged, exactly the whole sweep', () => {
    const workflow = parse(
      readFileSync(join(deploy, 'github-actions', 'lab-sweep.yml'), 'utf8'),
    ) as { jobs: { shard: Job; merge: Job } };
    const folder = join(work, 'github-actions');
    mkdirSync(folder, { recursive: true });
    const { shard, merge } = workflow.jobs;
    const shards = shard.strategy?.matrix.shard ?? [];
    const argvLog = join(folder, 'argv.log');
    expect(shards.length).toBeGreaterThan(1);
    // Each matrix job's workspace is a checkout; the artifacts of all of them land in one folder
    // of the merge job (download-artifact with merge-multiple): here, one folder for all.
    for (const [index, value] of shards.entries()) {
      const values = {
        'strategy.job-index': String(index),
        'strategy.job-total': String(shards.length),
        'matrix.shard': String(value),
      };
      const env = {
        ...Object.fromEntries(
          Object.entries(shard.env ?? {}).map(([name, text]) => [
            name,
            script({ run: text }, values),
          ]),
        ),
        VMARS_LAB_ARGV_LOG: argvLog,
      };
      const sweep = script(named(shard, 'Sweep this shard'), values);
      run(
        'bash',
        ['-e', '-c', sweep.replaceAll('node apps/lab/dist/cli.js', 'vmars-lab')],
        env,
        folder,
      );
    }
    const mergeScript = script(named(merge, 'Merge the shards'), {});
    run(
      'bash',
      ['-e', '-c', mergeScript.replaceAll('node apps/lab/dist/cli.js', 'vmars-lab')],
      merge.env ?? {},
      folder,
    );
    expectWholeSweep(join(folder, 'results', 'sweep.json'), folder, argvLog);
  });
});
