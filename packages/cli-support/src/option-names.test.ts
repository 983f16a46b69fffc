import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestOption, renameOldSpellings, unknownOptionMessage } from './option-names.js';

const LAB = [
  'spec',
  'name',
  'policies',
  'workloads',
  'trace',
  'arch',
  'vmar-size',
  'probe-size',
  'seeds',
  'first-seed',
  'out',
  'csv',
  'html',
  'help',
];
const DEMO = [
  'backend',
  'arch',
  'policies',
  'threads',
  'peak',
  'pattern',
  'trace',
  'seed',
  'json',
  'html',
  'help',
];

describe('nearestOption', () => {
  it.each([
    ['policy', LAB, 'policies'],
    ['polices', LAB, 'policies'],
    ['plicies', LAB, 'policies'],
    ['workload', LAB, 'workloads'],
    ['seed', LAB, 'seeds'],
    ['vmarsize', LAB, 'vmar-size'],
    ['thread', DEMO, 'threads'],
    ['htlm', DEMO, 'html'],
    ['architecture', DEMO, 'arch'],
  ] as const)('--%s: --%s', (name, known, expected) => {
    expect(nearestOption(name, known)).toBe(expected);
  });

  it.each(['bogus', 'x', 'quiet', 'verbose'])('--%s: nothing near', (name) => {
    expect(nearestOption(name, LAB)).toBeUndefined();
  });

  it('answers a known name with itself, and only ever a known name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (name) => {
        const answer = nearestOption(name, DEMO);
        expect(answer === undefined || DEMO.includes(answer)).toBe(true);
      }),
    );
    for (const name of DEMO) expect(nearestOption(name, DEMO)).toBe(name);
  });
});

describe('unknownOptionMessage', () => {
  it('names the nearest option, or says to see --help', () => {
    expect(unknownOptionMessage('--policy', LAB)).toBe(
      'unknown option --policy; did you mean --policies?',
    );
    expect(unknownOptionMessage('--policy=x', LAB)).toBe(
      'unknown option --policy; did you mean --policies?',
    );
    expect(unknownOptionMessage('--bogus', LAB)).toBe('unknown option --bogus (see --help)');
    expect(unknownOptionMessage('-z', LAB)).toBe('unknown option -z (see --help)');
    // A slip of an old spelling is answered with the preferred name.
    expect(unknownOptionMessage('--polcy', DEMO, { policy: 'policies' })).toBe(
      'unknown option --polcy; did you mean --policies?',
    );
    expect(unknownOptionMessage('--polcy', DEMO)).toBe('unknown option --polcy (see --help)');
  });
});

describe('renameOldSpellings', () => {
  const valueTaking = new Set(['policies', 'threads', 'trace']);

  it('rewrites the old spelling, once noted, and leaves values and everything after -- alone', () => {
    const { args, notes } = renameOldSpellings(
      ['--policy', 'root', '--threads', '--policy', '--policy=compact', '--', '--policy'],
      { policy: 'policies' },
      valueTaking,
    );
    expect(args).toEqual([
      '--policies',
      'root',
      '--threads',
      '--policy',
      '--policies=compact',
      '--',
      '--policy',
    ]);
    expect(notes).toEqual(['--policy is an old spelling; the preferred one is --policies']);
  });

  it('changes nothing when no old spelling is used', () => {
    const args = ['--policies', 'root', '--json', '-', 'extra'];
    expect(renameOldSpellings(args, { policy: 'policies' }, valueTaking)).toEqual({
      args,
      notes: [],
    });
  });
});
