import { describe, expect, it } from 'vitest';
import { joinOptionValues, parseCommandLine } from './parse-options.js';
import { defineUsageError } from './usage-error.js';

const TestUsageError = defineUsageError('test');

const options = {
  help: { type: 'boolean', short: 'h' },
  threads: { type: 'string' },
  json: { type: 'string' },
  out: { type: 'string' },
  policies: { type: 'string' },
} as const;

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (TestUsageError.isInstance(error)) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('joinOptionValues', () => {
  const spec = { options, usageError: TestUsageError, optionalValues: { json: '-' } };

  it('joins values, a dash-led one too, and leaves flags and joined values alone', () => {
    expect(joinOptionValues(['--threads', '-5', '--out=x', '-h', '--policies', 'a'], spec)).toEqual(
      ['--threads=-5', '--out=x', '-h', '--policies=a'],
    );
  });

  it('gives an optional value its default when the next word is an option or nothing', () => {
    expect(joinOptionValues(['--json', '--threads', '3'], spec)).toEqual([
      '--json=-',
      '--threads=3',
    ]);
    expect(joinOptionValues(['--json'], spec)).toEqual(['--json=-']);
  });

  it.each([[['--threads']], [['--out', '--json']], [['--out', '-h']], [['--out', '--']]])(
    'refuses %j: expected a value',
    (argv) => {
      expect(usageMessage(() => joinOptionValues(argv, spec))).toMatch(/^--\w+: expected a value$/);
    },
  );

  it('drops a -- without positionals, and leaves everything after one with them', () => {
    expect(joinOptionValues(['--', '--threads', '3'], spec)).toEqual(['--threads=3']);
    expect(
      joinOptionValues(['--out', 'x', '--', '--threads', '3'], { ...spec, positionals: true }),
    ).toEqual(['--out=x', '--', '--threads', '3']);
  });
});

describe('parseCommandLine', () => {
  it('reads values, old spellings with a note, and positionals', () => {
    const parsed = parseCommandLine(['--policy', 'a', 'file', '--threads', '-2'], {
      options,
      usageError: TestUsageError,
      positionals: true,
      oldSpellings: { policy: 'policies' },
    });
    expect(parsed.values).toEqual({ policies: 'a', threads: '-2' });
    expect(parsed.positionals).toEqual(['file']);
    expect(parsed.notes).toEqual(['--policy is an old spelling; the preferred one is --policies']);
  });

  it.each([
    [['--thread', '2'], {}, 'unknown option --thread; did you mean --threads?'],
    [['--bogus'], {}, 'unknown option --bogus (see --help)'],
    [['--bogus'], { command: 'stats' }, 'stats: unknown option --bogus (see stats --help)'],
    [['extra'], {}, 'unexpected argument "extra" (see --help)'],
    [['--threads'], {}, '--threads: expected a value'],
    [['--help=yes'], {}, "Option '-h, --help' does not take an argument (see --help)"],
  ])('refuses %j in one line', (argv, extra, message) => {
    const text = usageMessage(() =>
      parseCommandLine(argv, { options, usageError: TestUsageError, ...extra }),
    );
    expect(text).toBe(message);
  });
});
