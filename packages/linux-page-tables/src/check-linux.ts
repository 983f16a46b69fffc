import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Architecture, BlockKind, WorkloadReport } from '@vmars/thread-workload';
import { LinuxCheckError } from './linux-check-error.js';
import { architectureOfMachine, type LinuxHost, readLinuxHost } from './linux-host.js';
import { REPLAY_PAGE_SIZE, type ReplayPlan, replayPlans } from './replay-plan.js';

/** How far the kernel's figure may be from the model's and still agree: 1 % plus 8 pages. */
export const LINUX_CHECK_TOLERANCE = { relative: 0.01, pages: 8 } as const;

/** At most this share of the available memory may be touched: "fits comfortably". */
export const MEMORY_SHARE = 0.5;

/** Mappings left for the child's own runtime (Node has a few hundred) under `vm.max_map_count`. */
export const OWN_MAPPINGS_HEADROOM = 2048;

export interface LinuxCheckOptions {
  /** Only these of the report's policies (default: every one, in the report's order). */
  readonly policies?: readonly string[];
  /** This machine, as `readLinuxHost()` reads it (the default); tests play other machines. */
  readonly host?: LinuxHost;
  /** How long one policy's child may take before it is killed (default 10 minutes). */
  readonly timeoutMilliseconds?: number;
}

/** A peak block the child could not map at its own address (so nothing of it was touched). */
export interface UnmappedBlock {
  readonly kind: BlockKind;
  readonly base: number;
  readonly size: number;
  /** `EEXIST`: the child process itself had something there; otherwise the errno or why. */
  readonly reason: string;
}

/** One policy's peak, replayed in a Linux process. */
export interface LinuxPolicyCheck {
  readonly policy: string;
  readonly blocks: number;
  /** Pages written: the pages the model counts as touched. */
  readonly touchedPages: number;
  /** The model's page-table pages at the levels `VmPTE` counts (`LinuxCheckReport.levels`). */
  readonly model: { readonly levels: readonly number[]; readonly pages: number };
  /** `VmPTE` before and after the replay, in bytes, and the pages it grew by. */
  readonly kernel: {
    readonly vmPteBefore: number;
    readonly vmPteAfter: number;
    readonly pages: number;
  };
  /** `kernel.pages - model.pages`. */
  readonly difference: number;
  /** No block unmapped and `|difference|` within `LINUX_CHECK_TOLERANCE` of the model. */
  readonly agrees: boolean;
  readonly unmappedBlocks: readonly UnmappedBlock[];
  /**
   * The child's own mappings (taken before the replay) inside the same top counted-level blocks
   * (512 GiB each) as the touched pages. Where they hold pages, the kernel already has some of the
   * tables the model counts as new, and its figure comes out lower: 0 means no such sharing.
   */
  readonly ownMappingsNearby: number;
  /** Whether the child turned transparent huge pages off (which a huge page would hide). */
  readonly transparentHugePagesDisabled: boolean;
  /** The child process, ended by the time the check returns. */
  readonly child: { readonly pid: number; readonly exitCode: number | null };
}

/** `checkLinux`'s answer. */
export interface LinuxCheckReport {
  readonly host: {
    readonly kernel: string;
    readonly machine: string;
    readonly pageSize: number;
  };
  /** The engine's names of the levels Linux counts in `VmPTE`, lowest first. */
  readonly levels: readonly string[];
  readonly tolerance: typeof LINUX_CHECK_TOLERANCE;
  readonly policies: readonly LinuxPolicyCheck[];
}

/**
 * Holds `report`'s page-table model against this machine's kernel: for each policy, a fresh Node
 * process maps every block alive at the peak at its own address, writes exactly the pages the
 * model counts as touched, and reads how much its page tables grew (`VmPTE`). Policies run one
 * after another, one child each; every child is ended before this returns or throws, and this
 * process maps nothing and loads no native code.
 *
 * Throws `LinuxCheckError` (one-line message): `UNSUPPORTED_HOST`, `INVALID_REPORT`,
 * `INSUFFICIENT_MEMORY` or `TOO_MANY_MAPPINGS` before starting any process; `CHILD_FAILED` when a
 * child refuses, fails or times out.
 */
export async function checkLinux(
  report: WorkloadReport,
  options: LinuxCheckOptions = {},
): Promise<LinuxCheckReport> {
  const host = options.host ?? readLinuxHost();
  assertLinuxCheckSupported(report.architecture, host);
  const plans = replayPlans(report, options.policies);
  assertRoom(plans, host);
  const timeout = options.timeoutMilliseconds ?? 600_000;
  const checks: LinuxPolicyCheck[] = [];
  for (const plan of plans) checks.push(await replayInLinuxProcess(plan, timeout));
  const levels = report.pagingLevels.slice(0, plans[0]?.countedLevels ?? 0);
  return {
    host: { kernel: host.kernel, machine: host.machine, pageSize: host.pageSize ?? 0 },
    levels: levels.map((level) => level.name),
    tolerance: LINUX_CHECK_TOLERANCE,
    policies: checks,
  };
}

/**
 * Throws `LinuxCheckError` unless this machine (`host`) can check a report for `architecture`:
 * `UNSUPPORTED_HOST` off Linux, on a machine other than x86-64 or arm64, with pages other than
 * 4 KiB, with a user address space narrower than 47 bits, or without `VmPTE`; `INVALID_REPORT`
 * when `architecture` is not the machine's own. Cheap: an app calls it before a long run.
 */
export function assertLinuxCheckSupported(
  architecture: Architecture,
  host: LinuxHost = readLinuxHost(),
): void {
  const unsupported = (detail: string): LinuxCheckError =>
    new LinuxCheckError(
      'UNSUPPORTED_HOST',
      `the Linux page-table check cannot run here: ${detail}`,
    );
  if (host.platform !== 'linux') {
    throw unsupported(
      `it reads the kernel's page-table bytes of a process (VmPTE in /proc/PID/status), which only Linux reports, and this is ${host.platform}`,
    );
  }
  const machineArchitecture = architectureOfMachine(host.machine);
  if (machineArchitecture === undefined) {
    throw unsupported(
      `it needs x86-64 or arm64, whose four levels of tables the model counts; this machine is ${host.machine}`,
    );
  }
  if (host.pageSize !== REPLAY_PAGE_SIZE) {
    throw unsupported(
      `it needs 4 KiB pages; this kernel's are ${host.pageSize === undefined ? 'unknown' : `${String(host.pageSize / 1024)} KiB`}`,
    );
  }
  if (!host.hasVmPte) throw unsupported('/proc/self/status has no VmPTE line on this kernel');
  if (host.addressBits !== undefined && host.addressBits < 47) {
    throw unsupported(
      `the user address space is ${String(host.addressBits)} bits wide (three levels of tables), too narrow for the Starnix shared region`,
    );
  }
  if (architecture !== machineArchitecture) {
    throw new LinuxCheckError(
      'INVALID_REPORT',
      `the report is for ${architecture} but this machine is ${machineArchitecture}: a kernel can only build its own architecture's page tables`,
    );
  }
}

/** Refuses, before any process starts, what the machine cannot hold: memory, mappings. */
function assertRoom(plans: readonly ReplayPlan[], host: LinuxHost): void {
  const pageSize = REPLAY_PAGE_SIZE;
  let largest: ReplayPlan | undefined;
  let need = 0;
  for (const plan of plans) {
    // The pages written, and their tables: what the child's memory grows by.
    const bytes = plan.touchedBytes + plan.model.total * pageSize;
    if (bytes > need) {
      need = bytes;
      largest = plan;
    }
  }
  const available = host.availableMemory;
  if (largest !== undefined && (available === undefined || need > available * MEMORY_SHARE)) {
    const have =
      available === undefined
        ? 'the available memory is unknown (no MemAvailable in /proc/meminfo)'
        : `that is more than half of the ${formatBytes(available)} available`;
    throw new LinuxCheckError(
      'INSUFFICIENT_MEMORY',
      `too little memory to check the page tables: writing the touched pages needs ${formatBytes(need)} ` +
        `(policy ${largest.policy}: ${count(largest.touchedBytes / pageSize)} pages and ${count(largest.model.total)} page-table pages; ` +
        `policies run one at a time), and ${have}; touch fewer pages (stack-top) or keep fewer threads alive`,
    );
  }
  const mostBlocks = Math.max(...plans.map((plan) => plan.blocks.length));
  if (host.maxMapCount !== undefined && mostBlocks + OWN_MAPPINGS_HEADROOM > host.maxMapCount) {
    throw new LinuxCheckError(
      'TOO_MANY_MAPPINGS',
      `too many blocks to map: the peak has ${count(mostBlocks)} blocks, one mapping each, and with the ` +
        `process's own (${count(OWN_MAPPINGS_HEADROOM)} kept for them) that passes vm.max_map_count (${count(host.maxMapCount)})`,
    );
  }
}

type ReplayAnswer =
  | {
      readonly type: 'done';
      readonly pageSize: number;
      readonly vmPteBefore: number;
      readonly vmPteAfter: number;
      readonly transparentHugePagesDisabled: boolean;
      readonly unmapped: readonly { index: number; errno: number; reason: string }[];
      readonly ownMappings: Float64Array;
    }
  | { readonly type: 'refused'; readonly reason: string };

/** The child script, beside this module in src/ and in dist/ alike. */
const CHILD_SCRIPT = fileURLToPath(new URL('./replay-child.js', import.meta.url));

/**
 * Runs one plan's replay in a fresh child and turns its answer into the policy's check. What
 * `checkLinux` does per policy after its checks; the plan is taken as it is (a block whose range
 * is taken, even by an earlier block of the same plan, is reported in `unmappedBlocks`).
 */
export async function replayInLinuxProcess(
  plan: ReplayPlan,
  timeout = 600_000,
): Promise<LinuxPolicyCheck> {
  const blocks = new Float64Array(plan.blocks.length * 4);
  plan.blocks.forEach((block, index) => {
    blocks.set([block.base, block.size, block.touchedStart, block.touchedEnd], index * 4);
  });
  const { answer, pid, exitCode } = await runChild(
    { type: 'replay', pageSize: REPLAY_PAGE_SIZE, blocks },
    timeout,
    plan.policy,
  );
  if (answer.type === 'refused') {
    throw new LinuxCheckError(
      'CHILD_FAILED',
      `the replay of policy ${plan.policy} refused: ${answer.reason}`,
    );
  }
  const pageSize = answer.pageSize;
  const kernelPages = (answer.vmPteAfter - answer.vmPteBefore) / pageSize;
  const counted = plan.model.levels.slice(0, plan.countedLevels);
  const modelPages = counted.reduce((sum, level) => sum + level.pages, 0);
  const unmappedBlocks = answer.unmapped.map(({ index, reason }) => {
    const block = plan.blocks[index];
    if (block === undefined) {
      throw new LinuxCheckError(
        'CHILD_FAILED',
        `the replay of policy ${plan.policy} named block ${String(index)} of ${String(plan.blocks.length)}`,
      );
    }
    return { kind: block.kind, base: block.base, size: block.size, reason };
  });
  const difference = kernelPages - modelPages;
  const tolerance = LINUX_CHECK_TOLERANCE.relative * modelPages + LINUX_CHECK_TOLERANCE.pages;
  const topCoverage = plan.model.levels[plan.countedLevels - 1]?.coverage ?? 1;
  return {
    policy: plan.policy,
    blocks: plan.blocks.length,
    touchedPages: plan.touchedBytes / pageSize,
    model: { levels: counted.map((level) => level.pages), pages: modelPages },
    kernel: {
      vmPteBefore: answer.vmPteBefore,
      vmPteAfter: answer.vmPteAfter,
      pages: kernelPages,
    },
    difference,
    agrees: unmappedBlocks.length === 0 && Math.abs(difference) <= tolerance,
    unmappedBlocks,
    ownMappingsNearby: mappingsNear(answer.ownMappings, plan, topCoverage),
    transparentHugePagesDisabled: answer.transparentHugePagesDisabled,
    child: { pid, exitCode },
  };
}

/** How many of `ownMappings` (start, end pairs) meet a `coverage` block holding touched pages. */
function mappingsNear(ownMappings: Float64Array, plan: ReplayPlan, coverage: number): number {
  const touchedBlocks = new Set<number>();
  for (const block of plan.blocks) {
    const last = Math.floor((block.touchedEnd - 1) / coverage);
    for (let index = Math.floor(block.touchedStart / coverage); index <= last; index += 1) {
      touchedBlocks.add(index);
    }
  }
  let near = 0;
  for (let index = 0; index + 1 < ownMappings.length; index += 2) {
    const first = Math.floor((ownMappings[index] as number) / coverage);
    const last = Math.floor(((ownMappings[index + 1] as number) - 1) / coverage);
    for (let block = first; block <= last; block += 1) {
      if (touchedBlocks.has(block)) {
        near += 1;
        break;
      }
    }
  }
  return near;
}

/**
 * Forks the child script, sends it `request`, and waits for its answer and its end. The child is
 * killed if it has not answered within `timeout`, and is always gone when this settles.
 */
async function runChild(
  request: { type: 'replay'; pageSize: number; blocks: Float64Array },
  timeout: number,
  policy: string,
): Promise<{ answer: ReplayAnswer; pid: number; exitCode: number | null }> {
  // The child's runtime must not pick up this process's loaders (a test runner's, for example).
  const { NODE_OPTIONS: _ignored, ...environment } = process.env;
  const child = fork(CHILD_SCRIPT, [], {
    execArgv: ['--expose-gc'],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: environment,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  // 'close' comes after the exit and after the IPC channel has delivered every message, so an
  // answer sent just before exiting is never taken for a silent end.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const failed = (detail: string, cause?: unknown): LinuxCheckError =>
    new LinuxCheckError(
      'CHILD_FAILED',
      `the replay of policy ${policy} failed: ${detail}`,
      cause === undefined ? undefined : { cause },
    );
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await new Promise<ReplayAnswer>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ReplayAnswer));
      child.once('error', (error) => reject(failed(error.message, error)));
      void exited.then(({ code, signal }) => {
        const said = stderr.trim().split('\n')[0] ?? '';
        reject(
          failed(
            `the child ended without an answer (${signal === null ? `exit ${String(code)}` : signal})${said === '' ? '' : `: ${said}`}`,
          ),
        );
      });
      timer = setTimeout(() => {
        reject(failed(`no answer within ${String(timeout)} ms`));
      }, timeout);
      child.send(request, (error) => {
        if (error !== null && error !== undefined) reject(failed(error.message, error));
      });
    });
    const { code } = await exited;
    return { answer, pid: child.pid ?? -1, exitCode: code };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

const count = (value: number): string => value.toLocaleString('en-US');

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${String(value)} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}
