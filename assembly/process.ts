// The one modelled process an instance runs: all its state hangs off `proc`,
// and reset replaces it, then collects the old process's objects.
import { AioProcess } from "./aio";
import { IO_FILE_BYTES } from "./abi/codes";
import { Profile } from "./profile";
import { reset_checksum } from "./sink";
import { TmpfsSpace } from "./tmpfs";

export let proc = new AioProcess(new Profile(0), 1, 65536, 0, true);

/**
 * Starts a fresh process: profile switches (src/contract/profile.ts profileBits), CPUs,
 * aio_max_nr, aio_nr held by others, and whether read faults map the zero page.
 */
export function reset(profileBits: i32, cpus: i32, aio_max_nr: i64, aio_nr: i64, zero_page: bool): void {
  proc = new AioProcess(new Profile(profileBits), cpus, aio_max_nr, aio_nr, zero_page);
  // The minimal runtime collects only when asked: the old process is garbage now.
  __collect();
  reset_checksum();
}

/** After reset: the test file lives on a tmpfs of `pages` pages (a scenario's tmpfs_bytes), not on a memfd. */
export function set_tmpfs(pages: i32): void {
  proc.space = new TmpfsSpace(pages, IO_FILE_BYTES);
}

/** The parent while a forked child runs (fork_child to exit_child). */
let parent: AioProcess | null = null;

/** Every export acts in a forked child of the process until exit_child. */
export function fork_child(): void {
  parent = proc;
  proc = proc.fork();
}

/** The child exits, with whatever it made: the parent runs again. */
export function exit_child(): void {
  // The file they share (one open file description) may have changed under the parent's last read.
  parent!.readAsked = -1;
  proc = parent!;
  parent = null;
  // The TLB holds the child's translations.
  proc.mm.flushTlb();
  __collect();
}
