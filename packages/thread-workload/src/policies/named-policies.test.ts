import { ARCHITECTURES, type Architecture } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { describe, expect, it } from 'vitest';
import { runWorkload } from '../run-workload.js';
import { threadLayout } from '../thread-layout.js';
import type { WorkloadPattern } from '../workload.js';
import { alignFlagOf, blockSizes, knobPolicy, SEED_KNOBS } from './knob-policy.js';
import {
  isNamedPolicyName,
  NAMED_POLICY_NAMES,
  type NamedPolicyName,
  namedPolicy,
  namedPolicyKnobs,
} from './named-policies.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

const backendFor =
  (architecture: Architecture, seed = 1) =>
  () =>
    memoryBackend({ arch: architecture, region: 'shared', seed });

function layoutFor(architecture: Architecture, tlsSize = 1024) {
  return threadLayout({ architecture, pageSize: 4096, stackSize: 2 * MiB, tlsSize });
}

function run(
  name: NamedPolicyName,
  options: {
    architecture?: Architecture;
    pattern?: WorkloadPattern;
    threads?: number;
    peak?: number;
    seed?: number;
    vmarSize?: number;
    probeSize?: number;
    verify?: boolean;
  } = {},
) {
  const architecture = options.architecture ?? 'x86_64';
  const report = runWorkload({
    backend: backendFor(architecture, options.seed ?? 1),
    policies: [namedPolicy(name, layoutFor(architecture))],
    architecture,
    pattern: options.pattern ?? 'steady',
    threads: options.threads ?? 1_500,
    peak: options.peak ?? 300,
    seed: options.seed ?? 1,
    samples: 24,
    verify: options.verify ?? true,
    ...(options.vmarSize !== undefined && { vmarSize: options.vmarSize }),
    ...(options.probeSize !== undefined && { probeSize: options.probeSize }),
  });
  return report.policies[0] as (typeof report.policies)[number];
}

describe('the named policies', () => {
  it('are six, each with knobs (root has none)', () => {
    expect(NAMED_POLICY_NAMES).toEqual([
      'compact',
      'root',
      'aligned',
      'exact-probe',
      'shrinking',
      'shared-list',
    ]);
    expect(namedPolicyKnobs('compact')).toEqual(SEED_KNOBS);
    expect(namedPolicyKnobs('root')).toBeNull();
    expect(namedPolicyKnobs('aligned')).toMatchObject({ align: GiB });
    expect(isNamedPolicyName('shrinking')).toBe(true);
    expect(isNamedPolicyName('bogus')).toBe(false);
  });

  it('compact at the seed’s knobs reports exactly what the built-in compact policy does', () => {
    for (const architecture of ARCHITECTURES) {
      for (const pattern of ['steady', 'bursty', 'all-at-once'] as const) {
        const options = {
          backend: backendFor(architecture, 4),
          architecture,
          pattern,
          threads: 1_200,
          peak: 250,
          seed: 4,
          samples: 16,
        };
        const builtIn = runWorkload({ ...options, policies: ['compact'] });
        const named = runWorkload({ ...options, policies: [namedPolicy('compact')] });
        expect(named).toEqual(builtIn);
      }
    }
  });

  it('root is the built-in root policy', () => {
    const options = { backend: backendFor('arm64', 2), architecture: 'arm64' as const };
    expect(
      runWorkload({ ...options, threads: 500, peak: 100, policies: [namedPolicy('root')] }),
    ).toEqual(runWorkload({ ...options, threads: 500, peak: 100, policies: ['root'] }));
  });
});

describe('aligned', () => {
  it('every compact VMAR’s base is 1 GiB aligned, on every architecture', () => {
    for (const architecture of ARCHITECTURES) {
      for (const seed of [1, 2, 3]) {
        const report = run('aligned', {
          architecture,
          seed,
          threads: 2_000,
          peak: 1_200,
          verify: false,
        });
        expect(report.compactVmars.total).toBeGreaterThan(3);
        for (const compact of report.compactVmarList) expect(compact.base % GiB).toBe(0);
        // One page-directory page per 1 GiB VMAR that holds touched pages, never two.
        const pd = report.pageTables.atPeak.levels[1]?.pages ?? 0;
        expect(pd).toBeLessThanOrEqual(report.compactVmars.total);
      }
    }
  });
});

describe('exact-probe', () => {
  it('never answers yes where libc’s allocation then fails', () => {
    for (const architecture of ARCHITECTURES) {
      for (const pattern of ['steady', 'bursty', 'mixed-lifetimes'] as const) {
        // Small VMARs make probes fail often: every yes is put to the test.
        const report = run('exact-probe', {
          architecture,
          pattern,
          vmarSize: 16 * MiB,
          probeSize: 32 * 4096,
          threads: 1_500,
          peak: 200,
        });
        expect(report.probes.failed).toBeGreaterThan(0);
        expect(report.threads.failedStorage).toBe(0);
        expect(report.threads.failed).toBe(0);
      }
    }
  });

  it('where a fixed probe smaller than a block does answer yes and libc then fails', () => {
    const report = run('compact', { vmarSize: 16 * MiB, probeSize: 4096, threads: 400, peak: 100 });
    expect(report.threads.failedStorage).toBeGreaterThan(0);
  });

  it('fills a VMAR further than the 32 MiB probe before growing the list', () => {
    const options = { threads: 3_000, peak: 1_000, seed: 3, verify: false };
    const exact = run('exact-probe', options);
    const seed = run('compact', options);
    expect(exact.compactVmars['machine-stack']).toBeLessThanOrEqual(
      seed.compactVmars['machine-stack'],
    );
  });

  it('needs the block sizes', () => {
    expect(() => knobPolicy('x', { probe: 'exact' })).toThrow(RangeError);
    expect(blockSizes(layoutFor('x86_64'))).toEqual({
      'machine-stack': 2 * MiB + 4096,
      'security-stack': 2 * MiB + 4096,
      'thread-block': 3 * 4096,
    });
  });
});

describe('shrinking', () => {
  it('never destroys a VMAR that holds a block: every run ends clean, with the oracle agreeing', () => {
    for (const architecture of ARCHITECTURES) {
      for (const pattern of ['bursty', 'all-at-once', 'mixed-lifetimes'] as const) {
        // A thread's unmap through a destroyed VMAR would throw; verify holds every sample
        // against maps().
        const report = run('shrinking', {
          architecture,
          pattern,
          vmarSize: 64 * MiB,
          threads: 1_500,
          peak: 300,
        });
        expect(report.threads.failed).toBe(0);
        expect(report.end.disposed).toBe(true);
        expect(report.end.rootEntriesAfterDispose).toBe(1);
      }
    }
  });

  it('holds fewer VMARs than the seed between waves: the seed’s lists never shrink', () => {
    const options = { pattern: 'all-at-once' as const, vmarSize: 64 * MiB, verify: false };
    const mean = (report: ReturnType<typeof run>) =>
      report.samples.reduce((sum, sample) => sum + sample.compactVmars, 0) / report.samples.length;
    const shrinking = run('shrinking', options);
    const seed = run('compact', options);
    expect(mean(shrinking)).toBeLessThan(mean(seed));
    // Released only at a probe: with no creation after the last wave, the end is the same.
    expect(shrinking.compactVmars.total).toBe(seed.compactVmars.total);
  });
});

describe('shared-list', () => {
  it('keeps one list, reported as "shared", and the accounting agrees with maps()', () => {
    for (const architecture of ARCHITECTURES) {
      const report = run('shared-list', { architecture, threads: 2_000, peak: 1_000 });
      expect(report.compactVmarList.length).toBeGreaterThan(0);
      for (const compact of report.compactVmarList) expect(compact.list).toBe('shared');
      expect(report.compactVmars.total).toBe(report.compactVmarList.length);
      expect(report.threads.failed).toBe(0);
    }
  });

  it('holds a small program’s threads in one VMAR where the seed needs three', () => {
    expect(run('shared-list', { threads: 50, peak: 10 }).compactVmars.total).toBe(1);
    expect(run('compact', { threads: 50, peak: 10 }).compactVmars.total).toBe(3);
  });
});

describe('alignFlagOf', () => {
  it('maps bytes to ZX_VM_ALIGN_* and rejects what is not a power of two in range', () => {
    expect(alignFlagOf(0)).toBe(0);
    expect(alignFlagOf(GiB)).toBe(30 << 24);
    expect(() => alignFlagOf(3 * GiB)).toThrow(RangeError);
    expect(() => alignFlagOf(512)).toThrow(RangeError);
  });
});
