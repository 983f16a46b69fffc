import { describe, expect, it } from 'vitest';
import { DEFAULTS, helpText, parseDemoOptions } from './cli-options.js';
import { UsageError } from './usage-error.js';

function usageMessage(argv: string[]): string {
  try {
    parseDemoOptions(argv);
  } catch (error) {
    if (UsageError.isInstance(error)) return error.message;
    throw error;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
}

describe('parseDemoOptions', () => {
  it('gives the defaults for no arguments', () => {
    expect(parseDemoOptions([])).toEqual({
      help: false,
      backend: 'memory',
      architecture: 'x86_64',
      policies: ['compact', 'root'],
      threads: 10_000,
      peak: 1_000,
      pattern: 'steady',
      stackSize: 2 * 2 ** 20,
      tlsSize: 1024,
      vmarSize: 2 ** 30,
      probeSize: 32 * 2 ** 20,
      seed: 1,
      touched: 'all',
      samples: 48,
      json: undefined,
      html: undefined,
      checkLinux: false,
      notes: [],
    });
    expect(parseDemoOptions(['--check-linux']).checkLinux).toBe(true);
  });

  it('reads every option, with a space or an equals sign', () => {
    const options = parseDemoOptions([
      '--backend',
      'fuchsia',
      '--arch=riscv64',
      '--policies',
      'root',
      '--threads',
      '500',
      '--peak=50',
      '--pattern',
      'all-at-once',
      '--stack-size',
      '256KiB',
      '--tls-size=8192',
      '--vmar-size',
      '64MiB',
      '--probe-size',
      '4MiB',
      '--seed',
      '4294967295',
      '--touched',
      'stack-top',
      '--samples',
      '5',
      '--json',
      '--html',
      'out.html',
    ]);
    expect(options).toMatchObject({
      backend: 'fuchsia',
      architecture: 'riscv64',
      policies: ['root'],
      threads: 500,
      peak: 50,
      pattern: 'all-at-once',
      stackSize: 256 * 1024,
      tlsSize: 8192,
      vmarSize: 64 * 2 ** 20,
      probeSize: 4 * 2 ** 20,
      seed: 2 ** 32 - 1,
      touched: 'stack-top',
      samples: 5,
      json: '-',
      html: 'out.html',
    });
  });

  it('takes a FILE after --json, and prints on stdout (-) without one', () => {
    expect(parseDemoOptions(['--json', 'report.json']).json).toBe('report.json');
    expect(parseDemoOptions(['--json=report.json']).json).toBe('report.json');
    expect(parseDemoOptions(['--json']).json).toBe('-');
    expect(parseDemoOptions(['--json', '-']).json).toBe('-');
    expect(parseDemoOptions(['--json', '--seed', '2'])).toMatchObject({ json: '-', seed: 2 });
    expect(parseDemoOptions(['--seed', '2']).json).toBeUndefined();
  });

  it('ignores a lone `--`, as `pnpm start -- --arch x` passes one', () => {
    expect(parseDemoOptions(['--', '--arch', 'arm64']).architecture).toBe('arm64');
  });

  it('takes any whole number of bytes for --tls-size (libc rounds TLS + thread struct up)', () => {
    expect(parseDemoOptions(['--tls-size', '100']).tlsSize).toBe(100);
    expect(parseDemoOptions(['--tls-size', '0']).tlsSize).toBe(0);
    expect(parseDemoOptions(['--tls-size', '3KiB']).tlsSize).toBe(3072);
  });

  it('lowers the default peak to a smaller thread count', () => {
    expect(parseDemoOptions(['--threads', '20']).peak).toBe(20);
  });

  it.each([
    [['--threads', '-5'], '--threads: expected a positive integer, got "-5"'],
    [['--threads=-5'], '--threads: expected a positive integer, got "-5"'],
    [['--threads', '0'], '--threads: expected a positive integer, got "0"'],
    [['--threads', '1e3'], '--threads: expected a positive integer, got "1e3"'],
    [
      ['--vmar-size', '3KiB'],
      '--vmar-size: expected a positive multiple of the page size (4KiB) such as 4KiB, 2MiB or 1GiB, got "3KiB"',
    ],
    [
      ['--stack-size', '0'],
      '--stack-size: expected a positive multiple of the page size (4KiB) such as 4KiB, 2MiB or 1GiB, got "0"',
    ],
    [['--arch', 'sparc'], '--arch: expected one of x86_64, arm64, riscv64, got "sparc"'],
    [
      ['--policies', 'all'],
      '--policies: expected compact, root or both, or a list of them (compact,root), got "all"',
    ],
    [['--policies', 'root,root'], '--policies: lists "root" twice, got "root,root"'],
    [['--polcy', 'root'], 'unknown option --polcy; did you mean --policies?'],
    [['--thread', '5'], 'unknown option --thread; did you mean --threads?'],
    [['--bogus'], 'unknown option --bogus (see --help)'],
    [
      ['--pattern', 'random'],
      '--pattern: expected one of steady, bursty, all-at-once, got "random"',
    ],
    [['--seed', '-1'], '--seed: expected an integer from 0 to 4294967295, got "-1"'],
    [['--peak', '11', '--threads', '10'], '--peak: must not exceed --threads (10), got "11"'],
    [
      ['--vmar-size', '16MiB'],
      '--vmar-size: --vmar-size must be at least --probe-size (16MiB < 32MiB), got "16MiB"',
    ],
    [
      ['--tls-size', '-1'],
      '--tls-size: expected a whole number of bytes such as 0, 1024, 1KiB or 64KiB, got "-1"',
    ],
    [
      ['--tls-size', '1.5KiB'],
      '--tls-size: expected a whole number of bytes such as 0, 1024, 1KiB or 64KiB, got "1.5KiB"',
    ],
    [['--threads'], '--threads: expected a value'],
    [['--html', '--json'], '--html: expected a value'],
    [['--html', '-h'], '--html: expected a value'],
    [['--json='], '--json: expected a file name, got ""'],
    [['--threads', 'peak'], '--threads: expected a positive integer, got "peak"'],
  ])('rejects %j with a one-line message', (argv, message) => {
    const text = usageMessage(argv);
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });

  it('rejects unknown options and stray arguments in one line', () => {
    for (const argv of [['--frobnicate'], ['extra'], ['--help=yes']]) {
      const text = usageMessage(argv);
      expect(text).not.toContain('\n');
      expect(text).toMatch(/see --help/);
    }
  });
});

describe('helpText', () => {
  it('names every option and its default', () => {
    const text = helpText();
    for (const option of [
      '--backend',
      '--arch',
      '--policies',
      '--threads',
      '--peak',
      '--pattern',
      '--stack-size',
      '--tls-size',
      '--vmar-size',
      '--probe-size',
      '--seed',
      '--touched',
      '--samples',
      '--json',
      '--html',
      '--check-linux',
      '--help',
    ]) {
      expect(text).toContain(option);
    }
    for (const value of [
      'default: memory',
      'default: x86_64',
      'default: both',
      'default: 10000',
      'default: 2MiB',
      'default: 1KiB',
      'default: 1GiB',
      'default: 32MiB',
      `default: ${DEFAULTS.touched}`,
      'default: steady',
    ]) {
      expect(text).toContain(value);
    }
    expect(text).not.toMatch(/https?:/);
  });
});

describe('--policy, the old spelling of --policies', () => {
  it('is taken as --policies, and a note names the preferred spelling', () => {
    const old = parseDemoOptions(['--policy', 'compact']);
    expect(old.policies).toEqual(['compact']);
    expect(old.notes).toEqual(['--policy is an old spelling; the preferred one is --policies']);
    const preferred = parseDemoOptions(['--policies', 'compact,root']);
    expect(preferred.policies).toEqual(['compact', 'root']);
    expect(preferred.notes).toEqual([]);
    expect(parseDemoOptions(['--policy=both']).policies).toEqual(['compact', 'root']);
  });
});
