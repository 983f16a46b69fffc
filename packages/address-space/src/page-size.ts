/**
 * The page size of Fuchsia on x86-64, arm64 and riscv64 (semantics §1.4). Code that talks to a
 * backend should read `backend.pageSize`, which a native backend asks the kernel for.
 */
export const PAGE_SIZE = 4096;
