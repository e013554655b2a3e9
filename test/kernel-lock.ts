// The live kernel's aio-nr is one number for the whole machine, and node
// --test runs test files side by side: tests whose answers depend on it
// (the parity suite's limit scenarios, the fuzzer's runs) hold this lock, so
// no other such test's contexts come and go while they run.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const LOCK = join(tmpdir(), "aio-ring-bench-kernel-tests.lock");

/** The pid in the lock file, or null when there is none. */
function holder(): number | null {
  try {
    return Number(readFileSync(LOCK, "utf8"));
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function withKernelLock<T>(fn: () => Promise<T> | T): Promise<T> {
  // The lock appears with its pid already in it (a link to a written file),
  // so a waiter never reads an empty lock and takes it for a dead holder's.
  const mine = `${LOCK}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (;;) {
      try {
        linkSync(mine, LOCK);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const pid = holder();
        // A holder that died left its file behind: take it over (once it is still that holder's).
        if (pid !== null && !alive(pid) && holder() === pid) {
          try {
            unlinkSync(LOCK);
          } catch {
            // another waiter took it over first
          }
          continue;
        }
        await sleep(50);
      }
    }
  } finally {
    unlinkSync(mine);
  }
  try {
    return await fn();
  } finally {
    if (holder() === process.pid) unlinkSync(LOCK);
  }
}
