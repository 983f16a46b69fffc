import { Rights, Status, VmarFlags } from '@vmars/address-space';
import {
  addMapping,
  ceilingOf,
  destroySubtree,
  insertChild,
  type ModelVmar,
  newVmar,
  planAllocate,
  planDestroy,
  planMap,
  unmap,
  vmarRights,
} from '../reference-model.js';
import { checkPlan, expectStatusAt, mismatch } from './model-mismatch.js';
import { type HandleRecord, handleAt, type ModelRun, type VmoRecord } from './model-run.js';
import type { ModelStep } from './model-steps.js';

/** The step of kind `op`. */
type StepOf<Op extends ModelStep['op']> = Extract<ModelStep, { readonly op: Op }>;

/**
 * Runs step `index` on the backend and on the model, checking the backend's answer against the
 * model's. Returns the model VMARs whose listing the step changed.
 */
export function runStep(run: ModelRun, step: ModelStep, index: number): ModelVmar[] {
  const record = handleAt(run, step.target);
  switch (step.op) {
    case 'allocate':
      return runAllocate(run, step, index, record);
    case 'map':
      return runMap(run, step, index, record);
    case 'unmap':
      return runUnmap(run, step, index, record);
    case 'destroy':
      return runDestroy(step, index, record);
    case 'close':
      return runClose(run, step, index, record);
    case 'duplicate':
      return runDuplicate(run, step, index, record);
  }
}

function allocateFlags(step: StepOf<'allocate'>): number {
  let flags = 0;
  if (step.flagBits & 1) flags |= VmarFlags.COMPACT;
  if (step.flagBits & 2) flags |= VmarFlags.CAN_MAP_SPECIFIC;
  if (step.flagBits & 4) flags |= VmarFlags.CAN_MAP_READ;
  if (step.flagBits & 8) flags |= VmarFlags.CAN_MAP_WRITE;
  if (step.placement === 'specific') flags |= VmarFlags.SPECIFIC;
  if (step.placement === 'upperLimit') flags |= VmarFlags.OFFSET_IS_UPPER_LIMIT;
  flags += step.align * 2 ** 24;
  return flags;
}

function runAllocate(
  run: ModelRun,
  step: StepOf<'allocate'>,
  index: number,
  record: HandleRecord,
): ModelVmar[] {
  const { page } = run;
  const node = record.node;
  const flags = allocateFlags(step);
  const offset = step.placement === 'any' ? 0 : step.offsetPages * page;
  const size = step.pages * page;
  const result = record.vmar.allocate(offset, size, flags);
  const what = `allocate(${offset / page}p, ${step.pages}p, 0x${flags.toString(16)})`;
  if (record.closed) {
    expectStatusAt(index, what, result, Status.BAD_HANDLE);
    return [];
  }
  const plan = planAllocate(node, record.rights, offset, size, flags, page);
  const address = checkPlan(
    index,
    what,
    plan,
    result.ok ? { ok: true, value: result.value.address } : result,
  );
  if (address === undefined || !result.ok) return [];
  const childFlags =
    flags &
    (VmarFlags.COMPACT |
      VmarFlags.CAN_MAP_SPECIFIC |
      VmarFlags.CAN_MAP_READ |
      VmarFlags.CAN_MAP_WRITE);
  const child = newVmar(address, size, childFlags, node);
  insertChild(node, child);
  run.handles.push({
    vmar: result.value.vmar,
    node: child,
    rights: vmarRights(childFlags),
    closed: false,
  });
  const observer = result.value.vmar.duplicate(Rights.SAME_RIGHTS);
  if (!observer.ok) mismatch(index, 'duplicate of a new VMAR failed');
  run.observers.set(child, observer.value);
  return [node];
}

function mapFlags(step: StepOf<'map'>): number {
  let flags = 0;
  if (step.perms & 1) flags |= VmarFlags.PERM_READ;
  if (step.perms & 2) flags |= VmarFlags.PERM_WRITE;
  if (step.placement === 'specific') flags |= VmarFlags.SPECIFIC;
  if (step.placement === 'upperLimit') flags |= VmarFlags.OFFSET_IS_UPPER_LIMIT;
  return flags;
}

function runMap(
  run: ModelRun,
  step: StepOf<'map'>,
  index: number,
  record: HandleRecord,
): ModelVmar[] {
  const { page } = run;
  const node = record.node;
  const vmoRecord = run.vmos[step.vmo % run.vmos.length] as VmoRecord;
  const flags = mapFlags(step);
  const offset = step.placement === 'any' ? 0 : step.offsetPages * page;
  const length = step.pages * page;
  const result = record.vmar.map(flags, offset, vmoRecord.vmo, step.vmoOffsetPages * page, length);
  const what = `map(0x${flags.toString(16)}, ${offset / page}p, vmo ${vmoRecord.id}, ${step.vmoOffsetPages}p, ${step.pages}p)`;
  if (record.closed) {
    expectStatusAt(index, what, result, Status.BAD_HANDLE);
    return [];
  }
  const plan = planMap(node, record.rights, flags, offset, vmoRecord.rights, length, page);
  const address = checkPlan(index, what, plan, result);
  if (address === undefined) return [];
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
  return [node];
}

function runUnmap(
  run: ModelRun,
  step: StepOf<'unmap'>,
  index: number,
  record: HandleRecord,
): ModelVmar[] {
  const { page } = run;
  const node = record.node;
  const address = node.base + step.offsetPages * page;
  const length = step.pages * page;
  const status = record.vmar.unmap(address, length);
  const what = `unmap(base+${step.offsetPages}p, ${step.pages}p)`;
  const expected = record.closed
    ? Status.BAD_HANDLE
    : unmap(node, record.rights, address, length, page);
  expectStatusAt(index, what, status, expected);
  return record.closed ? [] : [node];
}

function runDestroy(_step: StepOf<'destroy'>, index: number, record: HandleRecord): ModelVmar[] {
  const node = record.node;
  const status = record.vmar.destroy();
  const expected = record.closed ? Status.BAD_HANDLE : planDestroy(node, record.rights);
  expectStatusAt(index, 'destroy()', status, expected);
  if (expected !== Status.OK) return [];
  const parent = node.parent;
  destroySubtree(node);
  return parent === undefined ? [] : [parent];
}

function runClose(
  run: ModelRun,
  step: StepOf<'close'>,
  index: number,
  record: HandleRecord,
): ModelVmar[] {
  const { handles } = run;
  // The root handle is the backend's own (zx_vmar_root_self); closing it ends the run's
  // ability to observe anything, so the step closes the next handle instead.
  const closing =
    step.target % handles.length === 0 && handles.length > 1 ? handleAt(run, 1) : record;
  if (closing === handles[0]) return [];
  const status = closing.vmar.close();
  expectStatusAt(index, 'close()', status, closing.closed ? Status.BAD_HANDLE : Status.OK);
  closing.closed = true;
  return [];
}

/** The rights a duplicate step asks for. */
function duplicateRights(step: StepOf<'duplicate'>, record: HandleRecord): number {
  let rights: number = Rights.SAME_RIGHTS;
  if (step.mode === 'dropOpChildren') rights = record.rights & ~Rights.OP_CHILDREN;
  if (step.mode === 'dropWrite') rights = record.rights & ~Rights.WRITE;
  if (step.mode === 'dropDuplicate') rights = record.rights & ~Rights.DUPLICATE;
  if (step.mode === 'addWrite') rights = record.rights | Rights.WRITE;
  return rights;
}

function runDuplicate(
  run: ModelRun,
  step: StepOf<'duplicate'>,
  index: number,
  record: HandleRecord,
): ModelVmar[] {
  const rights = duplicateRights(step, record);
  const result = record.vmar.duplicate(rights);
  let expected: number = Status.OK;
  if (record.closed) expected = Status.BAD_HANDLE;
  else if (!(record.rights & Rights.DUPLICATE)) expected = Status.ACCESS_DENIED;
  else if (rights !== Rights.SAME_RIGHTS && (rights & ~record.rights) !== 0)
    expected = Status.INVALID_ARGS;
  expectStatusAt(index, `duplicate(0x${rights.toString(16)})`, result, expected);
  if (!result.ok) return [];
  const newRights = rights === Rights.SAME_RIGHTS ? record.rights : rights;
  // §5.3: the copy holds exactly its own rights and shares the source's koid.
  const copyInfo = result.value.basicInfo();
  const sourceInfo = record.vmar.basicInfo();
  if (!copyInfo.ok || !sourceInfo.ok) mismatch(index, 'basicInfo after duplicate failed');
  if (copyInfo.value.rights !== newRights || copyInfo.value.koid !== sourceInfo.value.koid) {
    mismatch(
      index,
      `basicInfo of the duplicate: rights 0x${copyInfo.value.rights.toString(16)}, koid ` +
        `${copyInfo.value.koid}; expected 0x${newRights.toString(16)}, koid ${sourceInfo.value.koid}`,
    );
  }
  run.handles.push({ vmar: result.value, node: record.node, rights: newRights, closed: false });
  return [];
}
