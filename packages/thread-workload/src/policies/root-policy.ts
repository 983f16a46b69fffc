import type { Vmar } from '@vmars/address-space';
import type { CreateHandles } from '../libc-thread-storage.js';
import type { ThreadVmarPolicy, ThreadVmarPolicyDefinition } from '../thread-vmar-policy.js';

/**
 * The built-in `root` policy: the root VMAR for all three blocks, placed by ASLR (Starnix before
 * `ThreadCreateVmars` existed, when libc's handles were `zx_vmar_root_self()`). It holds no
 * compact VMARs.
 */
export const ROOT_POLICY: ThreadVmarPolicyDefinition = {
  name: 'root',
  create: (root) => rootPolicy(root),
};

function rootPolicy(root: Vmar): ThreadVmarPolicy {
  const handles: CreateHandles = {
    'machine-stack': root,
    'security-stack': root,
    'thread-block': root,
  };
  return {
    name: 'root',
    createHandles: () => handles,
    compactVmars: () => [],
    compactVmarCount: () => 0,
    dispose() {},
  };
}
