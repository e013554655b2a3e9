// The live kernel's aio-nr is one number for the whole machine, and node
// --test runs test files side by side: tests whose answers depend on it
// (the parity suite's limit scenarios, the fuzzer's runs) hold this lock, so
// no other such test's contexts come and go while they run.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const LOCK = join(tmpdir(), "aio-ring-bench-kernel-tests.lock");

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(LOCK, "utf8"));
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function withKernelLock<T>(fn: () => Promise<T> | T): Promise<T> {
  for (;;) {
    try {
      const fd = openSync(LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // A holder that died left its file behind: take it over.
      if (!holderAlive()) {
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
  try {
    return await fn();
  } finally {
    unlinkSync(LOCK);
  }
}
