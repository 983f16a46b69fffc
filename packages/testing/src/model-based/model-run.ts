import type { AddressSpaceBackend, Vmar, Vmo } from '@vmars/address-space';
import { Rights, Status, VmarFlags } from '@vmars/address-space';
import { type ModelVmar, newVmar } from '../reference-model.js';
import { expectStatusAt, ModelMismatchError, mismatch } from './model-mismatch.js';

/** A VMAR handle the run holds: the backend's handle and the model's view of it. */
export interface HandleRecord {
  readonly vmar: Vmar;
  readonly node: ModelVmar;
  readonly rights: number;
  closed: boolean;
}

/** A VMO handle the run maps from: `id` names the VMO (a duplicate shares its original's). */
export interface VmoRecord {
  readonly vmo: Vmo;
  readonly id: number;
  readonly rights: number;
}

/** One run in progress: the backend's side and the model's, side by side. */
export interface ModelRun {
  readonly page: number;
  readonly root: Vmar;
  readonly rootNode: ModelVmar;
  /** The handles the steps act on; 0 is the root. */
  readonly handles: HandleRecord[];
  /**
   * One extra handle per VMAR, never closed, to read `maps` and `info` of every VMAR whatever
   * the steps did to theirs.
   */
  readonly observers: Map<ModelVmar, Vmar>;
  readonly vmos: readonly VmoRecord[];
}

/**
 * Starts a run on a fresh backend: the model of its (empty) root, and three VMO handles (two
 * VMOs, and a read-only duplicate of the first).
 */
export function startModelRun(backend: AddressSpaceBackend): ModelRun {
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
  return { page, root, rootNode, handles, observers, vmos };
}

/** The handle a step's `target` picks (modulo the handles made so far). */
export function handleAt(run: ModelRun, target: number): HandleRecord {
  return run.handles[target % run.handles.length] as HandleRecord;
}

function expectedMapsCount(root: Vmar): number {
  const result = root.maps(0);
  return result.ok ? result.value.avail : -1;
}

/**
 * Every handle into a destroyed VMAR answers BAD_STATE (allocate needs no right, so rights never
 * get in the way) and info still gives its old base and len; closed handles answer BAD_HANDLE.
 */
export function checkHandles(step: number, run: ModelRun): void {
  const { handles, observers, page } = run;
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
