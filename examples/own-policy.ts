/**
 * A policy of your own, passed to `runWorkload` beside the built-in `compact`: here one list of
 * smaller (256 MiB) compact VMARs that holds all three of a thread's blocks, so that a thread's
 * stacks and thread block sit side by side. A policy is a name and `create(root, options)`, which
 * binds it to the root VMAR of one run and returns the small `ThreadVmarPolicy` interface.
 *
 *   node dist/own-policy.js
 */
import { memoryBackend } from '@vmars/backend-memory';
import { GrowableVmars } from '@vmars/growable-vmars';
import {
  type CompactVmarRecord,
  runWorkload,
  type ThreadVmarPolicy,
  type ThreadVmarPolicyDefinition,
} from '@vmars/thread-workload';

const VMAR_SIZE = 256 * 2 ** 20;

export const onePool: ThreadVmarPolicyDefinition = {
  name: 'one-pool-256m',
  create(root, { probeSize }): ThreadVmarPolicy {
    const list = new GrowableVmars(root, { vmarSize: VMAR_SIZE, probeSize });
    return {
      name: 'one-pool-256m',
      createHandles() {
        // One probe finds a VMAR with probeSize (32 MiB) free: room for all three blocks.
        const vmar = list.probe();
        return { 'machine-stack': vmar, 'security-stack': vmar, 'thread-block': vmar };
      },
      compactVmars: (): CompactVmarRecord[] =>
        list.vmars.map((compact) => ({
          list: 'shared',
          base: compact.address,
          size: compact.size,
        })),
      compactVmarCount: () => list.length,
      dispose: () => list[Symbol.dispose](),
    };
  },
};

const report = runWorkload({
  backend: () => memoryBackend({ region: 'shared', seed: 7 }),
  policies: ['compact', onePool],
  threads: 3_000,
  peak: 300,
});
for (const policy of report.policies) {
  const reservedMib = policy.reserved.peak / 2 ** 20;
  console.log(
    `${policy.policy}: ${String(policy.threads.created)} threads created, ` +
      `${String(policy.threads.failed)} failed, ${String(policy.compactVmars.total)} compact VMARs ` +
      `(${String(reservedMib)} MiB reserved at the peak), ` +
      `${String(policy.pageTables.atPeak.total)} page-table pages at the peak`,
  );
}
