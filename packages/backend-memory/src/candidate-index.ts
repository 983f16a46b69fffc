/*
 * Which requests a VMAR's children list counts candidates for (candidate-counts.ts keeps the
 * counts). A module of its own, importing nothing, so that region-node.ts can name the type
 * without importing the counting code that reads regions.
 */

/**
 * Stored counts saturate here (2^30 - 1). A saturated count is a true lower bound, which is all a
 * descent for an index below the cap needs: `index < stored` holds for it, and a count that is
 * subtracted is below the cap, so exact; a sum holding a saturated count is at least the cap, so
 * never taken for M. Indices at or above the cap (entropy above 30 bits, §3.4) use the gap walk.
 */
export const CANDIDATE_COUNT_CAP = 2 ** 30 - 1;

/**
 * The requests a VMAR's children list counts candidates for (`VmarNode.candidateIndex`). A slot
 * is in use when its size is not 0; while it is, every branch's count column of that slot holds,
 * per child block, `min(CANDIDATE_COUNT_CAP, candidates in the gaps of that block)`. Unread
 * otherwise.
 */
export class CandidateIndex {
  /** Slot 0: size and alignment in pages, and the owner's base page modulo the alignment. */
  size0 = 0;
  align0 = 1;
  phase0 = 0;
  /** Slot 1, likewise. */
  size1 = 0;
  align1 = 1;
  phase1 = 0;
  /** The slot used least recently: the one a new request takes over. */
  leastRecent = 0;
  /** The last request found in neither slot (size 0: none); it takes a slot if asked again next. */
  pendingSize = 0;
  pendingAlign = 1;
  pendingPhase = 0;
}
