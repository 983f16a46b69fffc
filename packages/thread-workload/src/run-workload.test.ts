import { type AddressSpaceBackend, ARCHITECTURES, type Architecture } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { describe, expect, it } from 'vitest';
import { NAMED_POLICY_NAMES, namedPolicy } from './policies/named-policies.js';
import { runWorkload } from './run-workload.js';
import type { RunWorkloadOptions } from './run-workload-options.js';
import { threadLayout } from './thread-layout.js';
import type { ThreadVmarPolicyDefinition } from './thread-vmar-policy.js';
import { TOUCHED_PAGES } from './touched-ranges.js';
import { CHURN_PATTERNS } from './workload.js';
import { WORKLOAD_DEFAULTS } from './workload-defaults.js';
import { WorkloadError } from './workload-error.js';

const backendFor =
  (architecture: Architecture, seed = 1) =>
  () =>
    memoryBackend({ arch: architecture, region: 'shared', seed });

describe('runWorkload: the kept figures agree with maps() at every sample', () => {
  for (const architecture of ARCHITECTURES) {
    for (const touched of TOUCHED_PAGES) {
      it.each(CHURN_PATTERNS)(`${architecture}, touched ${touched}, %s`, (pattern) => {
        const report = runWorkload({
          backend: backendFor(architecture),
          architecture,
          touched,
          pattern,
          threads: 1_200,
          peak: 200,
          samples: 40,
          verify: true,
        });
        for (const policy of report.policies) {
          expect(policy.samples.length).toBeGreaterThanOrEqual(40);
          expect(policy.end.disposed).toBe(true);
          expect(policy.pageTables.final.total).toBe(0);
        }
      });
    }
  }

  it('on riscv64 with a region that runs out, failed creations included', () => {
    const report = runWorkload({
      backend: backendFor('riscv64'),
      architecture: 'riscv64',
      policies: ['compact'],
      threads: 3_000,
      peak: 2_500,
      stackSize: 32 * 2 ** 20,
      pattern: 'bursty',
      verify: true,
    });
    const [compact] = report.policies;
    expect(compact?.threads.failed).toBeGreaterThan(0);
    expect(compact?.end.disposed).toBe(true);
  });

  it('throws VERIFICATION_FAILED when the backend and the kept figures disagree', () => {
    // A backend whose maps() hides every other entry: the oracle must notice.
    const lying = (): AddressSpaceBackend => {
      const backend = memoryBackend({ region: 'shared', seed: 1 });
      const root = backend.rootVmar();
      const maps = root.maps.bind(root);
      root.maps = (capacity) => {
        const result = maps(capacity);
        if (!result.ok) return result;
        const entries = result.value.entries.filter((_, index) => index % 2 === 0);
        return { ok: true, value: { ...result.value, entries } };
      };
      return {
        ...backend,
        name: backend.name,
        pageSize: backend.pageSize,
        rootVmar: () => root,
        createVmo: backend.createVmo.bind(backend),
      };
    };
    let caught: unknown;
    try {
      runWorkload({ backend: lying, threads: 100, peak: 20, verify: true });
    } catch (error) {
      caught = error;
    }
    expect(WorkloadError.isInstance(caught) && caught.code).toBe('VERIFICATION_FAILED');
  });
});

describe('runWorkload: the report', () => {
  const report = runWorkload({
    backend: backendFor('x86_64', 7),
    threads: 2_000,
    peak: 400,
    seed: 7,
  });

  it('runs the policies in order, each on a fresh backend', () => {
    expect(report.policies.map((policy) => policy.policy)).toEqual(['compact', 'root']);
    for (const policy of report.policies) {
      expect(policy.threads).toMatchObject({
        attempted: 2_000,
        created: 2_000,
        ended: 2_000,
        failed: 0,
      });
      expect(policy.end).toEqual({
        liveThreads: 0,
        otherRootEntries: 0,
        disposed: true,
        rootEntriesAfterDispose: 1,
      });
    }
  });

  it('has the maximum over every event at or above every sample and the peak', () => {
    for (const policy of report.policies) {
      const { max, atPeak } = policy.pageTables;
      expect(max.total).toBeGreaterThanOrEqual(atPeak.total);
      for (const sample of policy.samples)
        expect(max.total).toBeGreaterThanOrEqual(sample.pageTableTotal);
      expect(max.event).toBeGreaterThan(0);
      expect(max.event).toBeLessThanOrEqual(report.workload.events);
    }
  });

  it('is the same for the same options, with a backend or a factory', () => {
    const again = runWorkload({
      backend: backendFor('x86_64', 7),
      threads: 2_000,
      peak: 400,
      seed: 7,
    });
    expect(again).toEqual(report);
    const single = runWorkload({
      backend: memoryBackend({ region: 'shared', seed: 7 }),
      policies: ['compact'],
      threads: 2_000,
      peak: 400,
      seed: 7,
    });
    expect(single.policies[0]).toEqual(report.policies[0]);
  });

  it('lists the peak blocks in address order, each in its compact VMAR or the root', () => {
    const [compact, root] = report.policies;
    const bases = compact?.peakSnapshot.blocks.map((block) => block.base) ?? [];
    expect(bases).toEqual([...bases].sort((left, right) => left - right));
    expect(bases.length).toBe(3 * 400);
    for (const block of compact?.peakSnapshot.blocks ?? []) {
      const vmar = compact?.compactVmarList.find((each) => each.base === block.compactVmar);
      expect(vmar).toBeDefined();
      expect(block.base).toBeGreaterThanOrEqual(vmar?.base ?? Infinity);
      expect(block.base + block.size).toBeLessThanOrEqual((vmar?.base ?? 0) + (vmar?.size ?? 0));
    }
    expect(root?.peakSnapshot.blocks.every((block) => block.compactVmar === null)).toBe(true);
  });

  it('tells onSample of every sample, with the live blocks on request', () => {
    const seen: { policy: string; event: number; blocks: number; live: number }[] = [];
    runWorkload({
      backend: backendFor('x86_64'),
      threads: 300,
      peak: 60,
      samples: 5,
      onSample: (policy, sample, liveBlocks) =>
        seen.push({
          policy,
          event: sample.event,
          blocks: liveBlocks().length,
          live: sample.liveThreads,
        }),
    });
    expect(seen.length).toBeGreaterThanOrEqual(2 * 5);
    for (const each of seen) expect(each.blocks).toBe(3 * each.live);
  });

  it("runs a caller's own policy", () => {
    const mine: ThreadVmarPolicyDefinition = {
      name: 'mine',
      create: (root, options) => namedPolicy('compact').create(root, options),
    };
    const result = runWorkload({
      backend: backendFor('arm64'),
      architecture: 'arm64',
      policies: [mine],
      threads: 100,
      peak: 10,
    });
    expect(result.policies.map((policy) => policy.policy)).toEqual(['mine']);
  });

  it('takes every named policy by name, each the same run as its namedPolicy definition', () => {
    const options = { backend: backendFor('x86_64', 4), threads: 300, peak: 60 } as const;
    const byName = runWorkload({ ...options, policies: NAMED_POLICY_NAMES });
    expect(byName.policies.map((policy) => policy.policy)).toEqual([...NAMED_POLICY_NAMES]);
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: 4096,
      stackSize: WORKLOAD_DEFAULTS.stackSize,
      tlsSize: WORKLOAD_DEFAULTS.tlsSize,
    });
    const byDefinition = runWorkload({
      ...options,
      policies: NAMED_POLICY_NAMES.map((name) => namedPolicy(name, layout)),
    });
    expect(byName.policies).toEqual(byDefinition.policies);
    // The knobs differ, so the runs do: exact-probe and shared-list hold other VMARs than compact.
    const peakTables = byName.policies.map((policy) => policy.pageTables.atPeak.total);
    expect(new Set(peakTables).size).toBeGreaterThan(2);
  });
});

describe('runWorkload: bad options', () => {
  const good: RunWorkloadOptions = { backend: backendFor('x86_64'), threads: 10, peak: 2 };
  let made = 0;
  const counting: RunWorkloadOptions = {
    ...good,
    backend: () => {
      made += 1;
      return memoryBackend({});
    },
  };

  it.each([
    ['threads', { threads: 0 }],
    ['threads', { threads: 1.5 }],
    ['threads', { threads: '10' }],
    ['peak', { peak: 11 }],
    ['peak', { peak: 0 }],
    ['architecture', { architecture: 'sparc' }],
    ['pattern', { pattern: 'chaotic' }],
    ['stackSize', { stackSize: 1000 }],
    ['tlsSize', { tlsSize: -1 }],
    ['vmarSize', { vmarSize: 0 }],
    ['probeSize', { probeSize: 2 ** 31 }],
    ['seed', { seed: 2 ** 32 }],
    ['touched', { touched: 'some' }],
    ['samples', { samples: 0 }],
    ['verify', { verify: 'yes' }],
    ['onProgress', { onProgress: 5 }],
    ['onSample', { onSample: {} }],
    ['policies', { policies: [] }],
    ['policies', { policies: ['aslr'] }],
    ['policies', { policies: ['compact', 'compact'] }],
    ['policies', { policies: [{ name: 'x' }] }],
    ['backend', { backend: undefined }],
    ['backend', { backend: {} }],
    ['backend', { backend: memoryBackend({}) }],
    ['threadCount', { threadCount: 10 }],
  ] as const)(
    '%s: %j throws INVALID_OPTION naming it, before any backend is made',
    (option, bad) => {
      made = 0;
      let caught: unknown;
      try {
        runWorkload({ ...counting, ...(bad as object) } as RunWorkloadOptions);
      } catch (error) {
        caught = error;
      }
      expect(WorkloadError.isInstance(caught)).toBe(true);
      const error = caught as WorkloadError;
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.option).toBe(option);
      expect(error.message).toContain(`"${option}"`);
      expect(error.message).not.toContain('\n');
      expect(made).toBe(0);
    },
  );

  it('refuses what is not an options object', () => {
    expect(() => runWorkload(null as unknown as RunWorkloadOptions)).toThrow(
      /expected an options object/,
    );
  });
});
