import type { AddressSpaceBackend, Result, Vmar, Vmo } from '@vmars/address-space';
import { Rights, Status, statusName, VmarFlags } from '@vmars/address-space';
import fc from 'fast-check';
import { describe } from 'vitest';
import { statusOf } from './backend-assertions.js';
import { createCaseRegistry, type SuiteOptions } from './case-registry.js';
import {
  addMapping,
  ceilingOf,
  destroySubtree,
  encodeEntry,
  expectedMaps,
  insertChild,
  type ModelVmar,
  newVmar,
  type Plan,
  planAllocate,
  planDestroy,
  planMap,
  structuralProblem,
  unmap,
  vmarRights,
} from './reference-model.js';

/** Options of `describeModelBasedTests`. */
export interface ModelBasedTestOptions extends SuiteOptions {
  /** fast-check runs (default 1,000). */
  readonly runs?: number;
  /** Most steps per run (default 200). */
  readonly maxSteps?: number;
  /** fast-check seed, to replay a failure. */
  readonly seed?: number;
}

/** How a duplicate's rights are chosen (§11.6). */
export type DuplicateMode = 'same' | 'dropOpChildren' | 'dropWrite' | 'dropDuplicate' | 'addWrite';

/**
 * One step of a run. `target` picks a handle (modulo the handles made so far; 0 is the root),
 * sizes and offsets count pages, so every step is well formed and the interesting answers are
 * Zircon's: NO_RESOURCES, ALREADY_EXISTS, BAD_STATE, BAD_HANDLE, ACCESS_DENIED, INVALID_ARGS.
 */
export type ModelStep =
  | {
      readonly op: 'allocate';
      readonly target: number;
      readonly pages: number;
      readonly offsetPages: number;
      /** Bit 0 COMPACT, 1 CAN_MAP_SPECIFIC, 2 CAN_MAP_READ, 3 CAN_MAP_WRITE. */
      readonly flagBits: number;
      readonly placement: 'any' | 'specific' | 'upperLimit';
      readonly align: 0 | 13 | 16;
    }
  | {
      readonly op: 'map';
      readonly target: number;
      readonly vmo: number;
      readonly pages: number;
      readonly offsetPages: number;
      readonly vmoOffsetPages: number;
      readonly perms: 0 | 1 | 3;
      readonly placement: 'any' | 'specific' | 'upperLimit';
    }
  | {
      readonly op: 'unmap';
      readonly target: number;
      readonly offsetPages: number;
      readonly pages: number;
    }
  | { readonly op: 'destroy'; readonly target: number }
  | { readonly op: 'close'; readonly target: number }
  | { readonly op: 'duplicate'; readonly target: number; readonly mode: DuplicateMode };

const placementArbitrary = fc.constantFrom('any', 'any', 'specific', 'upperLimit') as fc.Arbitrary<
  'any' | 'specific' | 'upperLimit'
>;

/** The fast-check arbitrary of one step. */
export const modelStepArbitrary: fc.Arbitrary<ModelStep> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('allocate' as const),
      target: fc.nat(40),
      pages: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 24 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      offsetPages: fc.nat(24),
      flagBits: fc.nat(15),
      placement: placementArbitrary,
      align: fc.constantFrom(0 as const, 0 as const, 13 as const, 16 as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('map' as const),
      target: fc.nat(40),
      vmo: fc.nat(2),
      pages: fc.integer({ min: 0, max: 6 }),
      offsetPages: fc.nat(24),
      vmoOffsetPages: fc.nat(6),
      perms: fc.constantFrom(0 as const, 1 as const, 3 as const),
      placement: placementArbitrary,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('unmap' as const),
      target: fc.nat(40),
      offsetPages: fc.nat(26),
      pages: fc.nat(12),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('destroy' as const), target: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), target: fc.nat(40) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('duplicate' as const),
      target: fc.nat(40),
      mode: fc.constantFrom<DuplicateMode>(
        'same',
        'dropOpChildren',
        'dropWrite',
        'dropDuplicate',
        'addWrite',
      ),
    }),
  },
);

/** A VMAR handle the run holds: the backend's handle and the model's view of it. */
interface HandleRecord {
  readonly vmar: Vmar;
  readonly node: ModelVmar;
  readonly rights: number;
  closed: boolean;
}

interface VmoRecord {
  readonly vmo: Vmo;
  readonly id: number;
  readonly rights: number;
}

/** A failed check inside a run: fast-check shrinks the steps that led to it. */
export class ModelMismatchError extends Error {
  override readonly name = 'ModelMismatchError';
}

function mismatch(step: number, message: string): never {
  throw new ModelMismatchError(`step ${step}: ${message}`);
}

function expectStatusAt(
  step: number,
  what: string,
  actual: Status | Result<unknown>,
  expected: Status,
): void {
  const status = statusOf(actual);
  if (status !== expected) {
    mismatch(step, `${what}: expected ${statusName(expected)}, got ${statusName(status)}`);
  }
}

/** The entries `vmar` reports, encoded, after checking the listing's structure. */
function actualMaps(step: number, vmar: Vmar): string[] {
  const count = vmar.maps(0);
  if (!count.ok) mismatch(step, `maps(0) of a live VMAR failed: ${statusName(count.status)}`);
  const result = vmar.maps(count.value.avail);
  if (!result.ok) mismatch(step, `maps failed: ${statusName(result.status)}`);
  if (
    result.value.actual !== count.value.avail ||
    result.value.entries.length !== result.value.actual
  ) {
    mismatch(step, 'maps: actual, avail and the entries disagree');
  }
  const problem = structuralProblem(result.value.entries);
  if (problem !== undefined) mismatch(step, problem);
  return result.value.entries.map((entry) => encodeEntry(entry));
}

function compareMaps(step: number, label: string, vmar: Vmar, node: ModelVmar): void {
  const actual = actualMaps(step, vmar);
  const expected = expectedMaps(node);
  if (actual.join('\n') !== expected.join('\n')) {
    mismatch(
      step,
      `maps of ${label} differ\nexpected:\n${expected.join('\n')}\nactual:\n${actual.join('\n')}`,
    );
  }
}

/**
 * Runs `steps` on a fresh backend against the reference model, checking after every step.
 * Throws a `ModelMismatchError` naming the step and what differed.
 */
export function runModelSteps(backend: AddressSpaceBackend, steps: readonly ModelStep[]): void {
  const page = backend.pageSize;
  const root = backend.rootVmar();
  const rootInfo = root.info();
  if (!rootInfo.ok) throw new ModelMismatchError('info of the root failed');
  const rootNode = newVmar(
    rootInfo.value.base,
    rootInfo.value.len,
    VmarFlags.CAN_MAP_SPECIFIC |
      VmarFlags.CAN_MAP_READ |
      VmarFlags.CAN_MAP_WRITE |
      VmarFlags.CAN_MAP_EXECUTE,
    undefined,
  );
  const rootChildren = expectedMapsCount(root);
  if (rootChildren !== 1) throw new ModelMismatchError('the root of a fresh backend is not empty');
  // The handles the steps act on; `observers` hold one extra handle per VMAR, never closed, to
  // read `maps` and `info` of every VMAR whatever the steps did to theirs.
  const handles: HandleRecord[] = [{ vmar: root, node: rootNode, rights: 0x20801f, closed: false }];
  const observers = new Map<ModelVmar, Vmar>([[rootNode, root]]);
  const vmos: VmoRecord[] = [];
  for (const [id, rights] of [
    [1, 0xd0ef],
    [2, 0xd0ef],
  ] as const) {
    const created = backend.createVmo(8 * page);
    if (!created.ok) throw new ModelMismatchError('createVmo failed');
    vmos.push({ vmo: created.value, id, rights });
  }
  const readOnly = vmos[0]?.vmo.duplicate(Rights.MAP | Rights.READ | Rights.DUPLICATE);
  if (readOnly === undefined || !readOnly.ok)
    throw new ModelMismatchError('duplicate of a VMO failed');
  vmos.push({ vmo: readOnly.value, id: 1, rights: Rights.MAP | Rights.READ | Rights.DUPLICATE });

  const pick = (target: number) => handles[target % handles.length] as HandleRecord;

  const checkPlan = (index: number, what: string, plan: Plan, result: Result<number>) => {
    if (!plan.ok) {
      expectStatusAt(index, what, result, plan.status);
      return undefined;
    }
    if (!result.ok) mismatch(index, `${what}: expected ZX_OK, got ${statusName(result.status)}`);
    const problem = plan.check(result.value);
    if (problem !== undefined) mismatch(index, `${what}: ${problem}`);
    return result.value;
  };

  steps.forEach((step, index) => {
    const record = pick(step.target);
    const node = record.node;
    const touched: ModelVmar[] = [];
    switch (step.op) {
      case 'allocate': {
        let flags = 0;
        if (step.flagBits & 1) flags |= VmarFlags.COMPACT;
        if (step.flagBits & 2) flags |= VmarFlags.CAN_MAP_SPECIFIC;
        if (step.flagBits & 4) flags |= VmarFlags.CAN_MAP_READ;
        if (step.flagBits & 8) flags |= VmarFlags.CAN_MAP_WRITE;
        if (step.placement === 'specific') flags |= VmarFlags.SPECIFIC;
        if (step.placement === 'upperLimit') flags |= VmarFlags.OFFSET_IS_UPPER_LIMIT;
        flags += step.align * 2 ** 24;
        const offset = step.placement === 'any' ? 0 : step.offsetPages * page;
        const size = step.pages * page;
        const result = record.vmar.allocate(offset, size, flags);
        const what = `allocate(${offset / page}p, ${step.pages}p, 0x${flags.toString(16)})`;
        if (record.closed) {
          expectStatusAt(index, what, result, Status.BAD_HANDLE);
          break;
        }
        const plan = planAllocate(node, record.rights, offset, size, flags, page);
        const address = checkPlan(
          index,
          what,
          plan,
          result.ok ? { ok: true, value: result.value.address } : result,
        );
        if (address === undefined || !result.ok) break;
        const childFlags =
          flags &
          (VmarFlags.COMPACT |
            VmarFlags.CAN_MAP_SPECIFIC |
            VmarFlags.CAN_MAP_READ |
            VmarFlags.CAN_MAP_WRITE);
        const child = newVmar(address, size, childFlags, node);
        insertChild(node, child);
        handles.push({
          vmar: result.value.vmar,
          node: child,
          rights: vmarRights(childFlags),
          closed: false,
        });
        const observer = result.value.vmar.duplicate(Rights.SAME_RIGHTS);
        if (!observer.ok) mismatch(index, 'duplicate of a new VMAR failed');
        observers.set(child, observer.value);
        touched.push(node);
        break;
      }
      case 'map': {
        const vmoRecord = vmos[step.vmo % vmos.length] as VmoRecord;
        let flags = 0;
        if (step.perms & 1) flags |= VmarFlags.PERM_READ;
        if (step.perms & 2) flags |= VmarFlags.PERM_WRITE;
        if (step.placement === 'specific') flags |= VmarFlags.SPECIFIC;
        if (step.placement === 'upperLimit') flags |= VmarFlags.OFFSET_IS_UPPER_LIMIT;
        const offset = step.placement === 'any' ? 0 : step.offsetPages * page;
        const length = step.pages * page;
        const result = record.vmar.map(
          flags,
          offset,
          vmoRecord.vmo,
          step.vmoOffsetPages * page,
          length,
        );
        const what = `map(0x${flags.toString(16)}, ${offset / page}p, vmo ${vmoRecord.id}, ${step.vmoOffsetPages}p, ${step.pages}p)`;
        if (record.closed) {
          expectStatusAt(index, what, result, Status.BAD_HANDLE);
          break;
        }
        const plan = planMap(node, record.rights, flags, offset, vmoRecord.rights, length, page);
        const address = checkPlan(index, what, plan, result);
        if (address === undefined) break;
        const ceiling = ceilingOf(record.rights, vmoRecord.rights);
        addMapping(node, {
          kind: 'mapping',
          base: address,
          size: length,
          vmoId: vmoRecord.id,
          vmoOffset: step.placement === 'upperLimit' ? 0 : step.vmoOffsetPages * page,
          mergeKey: `${flags & (VmarFlags.SPECIFIC | VmarFlags.OFFSET_IS_UPPER_LIMIT)}/${ceiling}`,
          ranges: [{ base: address, size: length, perms: flags & 0x7 }],
        });
        touched.push(node);
        break;
      }
      case 'unmap': {
        const address = node.base + step.offsetPages * page;
        const length = step.pages * page;
        const status = record.vmar.unmap(address, length);
        const what = `unmap(base+${step.offsetPages}p, ${step.pages}p)`;
        const expected = record.closed
          ? Status.BAD_HANDLE
          : unmap(node, record.rights, address, length, page);
        expectStatusAt(index, what, status, expected);
        if (!record.closed) touched.push(node);
        break;
      }
      case 'destroy': {
        const status = record.vmar.destroy();
        const expected = record.closed ? Status.BAD_HANDLE : planDestroy(node, record.rights);
        expectStatusAt(index, 'destroy()', status, expected);
        if (expected === Status.OK) {
          const parent = node.parent;
          destroySubtree(node);
          if (parent !== undefined) touched.push(parent);
        }
        break;
      }
      case 'close': {
        // The root handle is the backend's own (zx_vmar_root_self); closing it ends the run's
        // ability to observe anything, so the step closes the next handle instead.
        const closing = step.target % handles.length === 0 && handles.length > 1 ? pick(1) : record;
        if (closing === handles[0]) break;
        const status = closing.vmar.close();
        expectStatusAt(index, 'close()', status, closing.closed ? Status.BAD_HANDLE : Status.OK);
        closing.closed = true;
        break;
      }
      case 'duplicate': {
        let rights: number = Rights.SAME_RIGHTS;
        if (step.mode === 'dropOpChildren') rights = record.rights & ~Rights.OP_CHILDREN;
        if (step.mode === 'dropWrite') rights = record.rights & ~Rights.WRITE;
        if (step.mode === 'dropDuplicate') rights = record.rights & ~Rights.DUPLICATE;
        if (step.mode === 'addWrite') rights = record.rights | Rights.WRITE;
        const result = record.vmar.duplicate(rights);
        let expected: number = Status.OK;
        if (record.closed) expected = Status.BAD_HANDLE;
        else if (!(record.rights & Rights.DUPLICATE)) expected = Status.ACCESS_DENIED;
        else if (rights !== Rights.SAME_RIGHTS && (rights & ~record.rights) !== 0)
          expected = Status.INVALID_ARGS;
        expectStatusAt(index, `duplicate(0x${rights.toString(16)})`, result, expected);
        if (result.ok) {
          const newRights = rights === Rights.SAME_RIGHTS ? record.rights : rights;
          // §5.3: the copy holds exactly its own rights and shares the source's koid.
          const copyInfo = result.value.basicInfo();
          const sourceInfo = record.vmar.basicInfo();
          if (!copyInfo.ok || !sourceInfo.ok) mismatch(index, 'basicInfo after duplicate failed');
          if (
            copyInfo.value.rights !== newRights ||
            copyInfo.value.koid !== sourceInfo.value.koid
          ) {
            mismatch(
              index,
              `basicInfo of the duplicate: rights 0x${copyInfo.value.rights.toString(16)}, koid ` +
                `${copyInfo.value.koid}; expected 0x${newRights.toString(16)}, koid ${sourceInfo.value.koid}`,
            );
          }
          handles.push({ vmar: result.value, node, rights: newRights, closed: false });
        }
        break;
      }
    }
    // After every step: the root's listing (every live VMAR and mapping of the run) and the
    // listing of each VMAR the step changed.
    compareMaps(index, 'the root', root, rootNode);
    for (const vmar of touched) {
      const observer = observers.get(vmar);
      if (observer !== undefined && vmar.alive)
        compareMaps(index, `VMAR ${vmar.base.toString(16)}`, observer, vmar);
    }
    if (step.op === 'destroy' || step.op === 'unmap') checkHandles(index, handles, observers, page);
  });
  checkHandles(steps.length, handles, observers, page);
  for (const [vmar, observer] of observers) {
    if (vmar.alive) compareMaps(steps.length, `VMAR ${vmar.base.toString(16)}`, observer, vmar);
  }
}

function expectedMapsCount(root: Vmar): number {
  const result = root.maps(0);
  return result.ok ? result.value.avail : -1;
}

/**
 * Every handle into a destroyed VMAR answers BAD_STATE (allocate needs no right, so rights never
 * get in the way) and info still gives its old base and len; closed handles answer BAD_HANDLE.
 */
function checkHandles(
  step: number,
  handles: readonly HandleRecord[],
  observers: ReadonlyMap<ModelVmar, Vmar>,
  page: number,
): void {
  for (const record of handles) {
    if (record.closed) {
      const result = record.vmar.allocate(0, page, 0);
      expectStatusAt(step, 'allocate on a closed handle', result, Status.BAD_HANDLE);
      continue;
    }
    if (record.node.alive) continue;
    const result = record.vmar.allocate(0, page, 0);
    expectStatusAt(step, 'allocate on a destroyed VMAR', result, Status.BAD_STATE);
    const observer = observers.get(record.node);
    const info = observer?.info();
    if (
      info === undefined ||
      !info.ok ||
      info.value.base !== record.node.base ||
      info.value.len !== record.node.size
    ) {
      mismatch(step, 'info of a destroyed VMAR must still give its old base and len');
    }
    const maps = observer?.maps(0);
    if (maps === undefined || maps.ok || maps.status !== Status.BAD_STATE) {
      mismatch(step, 'maps of a destroyed VMAR must be BAD_STATE');
    }
  }
}

/**
 * Registers the model-based tests: fast-check generates sequences of allocate (random sizes, and
 * flags including SPECIFIC, OFFSET_IS_UPPER_LIMIT, COMPACT and alignment), map, unmap, destroy,
 * close and duplicate; each runs on a fresh backend and against the reference model, with the
 * checks of `runModelSteps` after every step. A failure is shrunk to a minimal sequence, printed
 * with fast-check's seed and path so that it can be replayed.
 */
export function describeModelBasedTests(
  name: string,
  makeBackend: () => AddressSpaceBackend,
  options?: ModelBasedTestOptions,
): void {
  const runs = options?.runs ?? 1000;
  const maxSteps = options?.maxSteps ?? 200;
  describe(`${name}: model-based tests against a reference model`, () => {
    const { register, finish } = createCaseRegistry(options);
    register(
      `§2.3–§5, §11: ${runs} random runs of up to ${maxSteps} steps agree with the reference model`,
      () => {
        fc.assert(
          fc.property(
            fc.array(modelStepArbitrary, { maxLength: maxSteps, size: 'max' }),
            (steps) => {
              runModelSteps(makeBackend(), steps);
            },
          ),
          { numRuns: runs, ...(options?.seed === undefined ? {} : { seed: options.seed }) },
        );
      },
      600_000,
    );
    finish();
  });
}
