import type { TraceHeader } from '@vmars/thread-traces';

/** The header of the tests' hand-made `make -j2` trace (strace, kinds known), without notes. */
export const MAKE_HEADER: TraceHeader = {
  format: 'vmars-trace',
  version: 1,
  source: 'strace',
  command: 'make -j2',
  date: '2026-12-07T01:00:00Z',
  origin: '1733534822.123456',
  kindsKnown: true,
};
