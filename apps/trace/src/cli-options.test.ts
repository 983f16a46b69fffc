import { describe, expect, it } from 'vitest';
import { helpText, parseTraceOptions } from './cli-options.js';
import { UsageError } from './usage-error.js';

function usageMessage(argv: string[]): string {
  try {
    parseTraceOptions(argv);
  } catch (error) {
    if (UsageError.isInstance(error)) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
}

describe('record', () => {
  it('takes the command after --, with its own options untouched', () => {
    expect(
      parseTraceOptions([
        'record',
        '--out',
        'make.vmars-trace.gz',
        '--note',
        'program=GNU Make 4.3',
        '--note=machine=x86_64',
        '--',
        'make',
        '-j2',
        '--out',
        'x',
      ]),
    ).toEqual({
      command: 'record',
      out: 'make.vmars-trace.gz',
      notes: { program: 'GNU Make 4.3', machine: 'x86_64' },
      argv: ['make', '-j2', '--out', 'x'],
    });
  });

  it('takes the command from its first word when the -- is left out', () => {
    expect(parseTraceOptions(['record', '--out=t', 'sh', '-c', 'exit 3'])).toMatchObject({
      argv: ['sh', '-c', 'exit 3'],
      notes: {},
    });
  });

  it('reads an --out that starts with a dash as a value', () => {
    expect(parseTraceOptions(['record', '--out', '-x', '--', 'true'])).toMatchObject({
      out: '-x',
    });
  });

  it.each([
    [['record', '--', 'true'], 'record: --out FILE is required'],
    [['record', '--out', 't'], 'record: expected -- COMMAND [ARG...] after the options'],
    [['record', '--out', 't', '--'], 'record: expected -- COMMAND [ARG...] after the options'],
    [['record', '--out', '--', 'true'], '--out: expected a value'],
    [
      ['record', '--out', 't', '--bogus', '--', 'true'],
      'record: unknown option --bogus (see record --help)',
    ],
    [['record', '--out', 't', '--note', 'novalue', '--', 'true'], '--note: expected KEY=VALUE'],
    [['record', '--out', 't', '--note', '=v', '--', 'true'], '--note: expected KEY=VALUE'],
    [
      ['record', '--out', 't', '--note', 'a=1', '--note', 'a=2', '--', 'true'],
      '--note: the key "a" is given twice',
    ],
  ])('refuses %j', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});

describe('convert', () => {
  it('takes inputs, --out, --format, --command and notes', () => {
    expect(
      parseTraceOptions([
        'convert',
        'a.1',
        'a.2',
        '--out',
        'a.vmars-trace',
        '--format',
        'strace',
        '--command',
        'make -j2',
        '--note',
        'k=v',
      ]),
    ).toEqual({
      command: 'convert',
      inputs: ['a.1', 'a.2'],
      out: 'a.vmars-trace',
      format: 'strace',
      commandLine: 'make -j2',
      notes: { k: 'v' },
    });
    expect(parseTraceOptions(['convert', 'in', '--out', 'o'])).toMatchObject({
      format: undefined,
      commandLine: undefined,
    });
  });

  it.each([
    [['convert', 'in'], 'convert: --out FILE is required'],
    [['convert', '--out', 'o'], 'convert: expected INPUT...'],
    [
      ['convert', 'in', '--out', 'o', '--format', 'ltrace'],
      '--format: expected one of strace, perf, vmars-trace, got "ltrace"',
    ],
    [['convert', 'a', 'b', '--out', 'o', '--format', 'perf'], '--format: several INPUTs'],
    [['convert', 'in', '--out', 'o', '-x'], 'convert: unknown option -x (see convert --help)'],
    [['convert', 'in', '--out', ' '], '--out: expected a file name'],
  ])('refuses %j', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});

describe('stats', () => {
  it('prints a table, JSON or Markdown', () => {
    expect(parseTraceOptions(['stats', 'a', 'b'])).toEqual({
      command: 'stats',
      files: ['a', 'b'],
      output: 'table',
    });
    expect(parseTraceOptions(['stats', '--json', 'a'])).toMatchObject({ output: 'json' });
    expect(parseTraceOptions(['stats', 'a', '--markdown'])).toMatchObject({ output: 'markdown' });
  });

  it.each([
    [['stats'], 'stats: expected FILE...'],
    [['stats', 'a', '--json', '--markdown'], 'stats: --json and --markdown exclude each other'],
    [['stats', 'a', '--csv'], 'stats: unknown option --csv (see stats --help)'],
  ])('refuses %j', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});

describe('help and commands', () => {
  it.each([
    [['--help'], undefined],
    [['-h'], undefined],
    [['help'], undefined],
    [['help', 'stats'], 'stats'],
    [['record', '--help'], 'record'],
    [['convert', '-h'], 'convert'],
    [['stats', '--help', 'a', '--json'], 'stats'],
  ])('%j asks for help', (argv, topic) => {
    expect(parseTraceOptions(argv)).toEqual({ command: 'help', topic });
  });

  it('gives each command its own help, and an overview naming them all', () => {
    for (const name of ['record', 'convert', 'stats'] as const) {
      expect(helpText(name)).toMatch(new RegExp(`^vmars-trace ${name}: `));
      expect(helpText(undefined)).toContain(`vmars-trace ${name} `);
    }
    expect(helpText('record')).toContain('apt-get install strace');
  });

  it.each([
    [[], 'expected a command: record, convert, stats'],
    [['replay'], 'unknown command "replay"'],
    [['--out', 'x'], 'unknown option "--out": a command comes first'],
    [['help', 'replay'], 'help: unknown command "replay"'],
  ])('refuses %j', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});
