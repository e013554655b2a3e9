// The x86-64 user address space, shared by the AssemblyScript core and the
// TypeScript model. Plain `export const` so the file is valid in both.

/** First byte above user space (TASK_SIZE with 4-level paging): a fixed mapping must end at or below it. */
export const TASK_SIZE = 0x7fff_ffff_f000;

/** mmap's protection bits (<sys/mman.h>), as an `mmap` step's `prot` gives them: "rw", "r" or "none". */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_RW = PROT_READ | PROT_WRITE;
