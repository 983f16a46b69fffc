import { describe, expect, it } from 'vitest';
import { blockAtVmoOffset, THREAD_STRUCT_SIZE, threadLayout } from './thread-layout.js';

const page = 4096;
const MiB = 2 ** 20;

describe('threadLayout', () => {
  it('lays out a Rust thread on x86-64: guards below both stacks, one page each side of the block (§7)', () => {
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: page,
      stackSize: 2 * MiB,
      tlsSize: page,
    });
    expect(
      layout.blocks.map((block) => [block.kind, block.size, block.guardBelow, block.guardAbove]),
    ).toEqual([
      ['machine-stack', 2 * MiB, page, 0],
      ['security-stack', 2 * MiB, page, 0],
      ['thread-block', Math.ceil((page + THREAD_STRUCT_SIZE) / page) * page, page, page],
    ]);
    expect(layout.blocks[0]?.wholeSize).toBe(0x201000);
    expect(layout.vmoSize).toBe(4 * MiB + 2 * page);
    expect(layout.mappedPerThread).toBe(layout.vmoSize);
    expect(layout.reservedPerThread).toBe(2 * 0x201000 + 4 * page);
  });

  it.each(['arm64', 'riscv64'] as const)(
    'puts the shadow call stack guard above on %s',
    (architecture) => {
      const layout = threadLayout({
        architecture,
        pageSize: page,
        stackSize: 2 * MiB,
        tlsSize: page,
      });
      const security = layout.blocks.find((block) => block.kind === 'security-stack');
      expect(security).toMatchObject({ guardBelow: 0, guardAbove: page, grows: 'up' });
    },
  );

  it('allocates the thread block first when it is at least as large as a stack (§7)', () => {
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: page,
      stackSize: 4 * page,
      tlsSize: 8 * page,
    });
    expect(layout.blocks.map((block) => block.kind)).toEqual([
      'thread-block',
      'machine-stack',
      'security-stack',
    ]);
  });

  it('tells a block by its VMO offset', () => {
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: page,
      stackSize: 2 * MiB,
      tlsSize: page,
    });
    expect(blockAtVmoOffset(layout, 0)?.kind).toBe('machine-stack');
    expect(blockAtVmoOffset(layout, 2 * MiB)?.kind).toBe('security-stack');
    expect(blockAtVmoOffset(layout, 4 * MiB + page)?.kind).toBe('thread-block');
    expect(blockAtVmoOffset(layout, layout.vmoSize)).toBeUndefined();
  });
});
