/**
 * Standard output written synchronously and checked: console.log drops
 * write errors, so `scenario big.json > file-on-full-disk` would exit 0
 * with truncated JSON. The CLI routes console.log here; the first failure
 * stops further output and is reported at exit (exit 2). A closed pipe
 * (`| head`) is no error: output simply stops there.
 */
import { writeSync } from "node:fs";
import { fsReason } from "./fs-reason.js";
import { sleepMs } from "./sleep.js";

let failure: unknown = null;
let closed = false;

export function writeStdout(text: string): void {
  if (failure !== null || closed) return;
  const data = Buffer.from(text, "utf8");
  for (let off = 0; off < data.length; ) {
    try {
      off += writeSync(1, data, off, data.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking pipe that is full: wait for the reader.
      if (code === "EAGAIN") {
        sleepMs(1);
        continue;
      }
      if (code === "EPIPE") closed = true;
      else failure = e;
      return;
    }
  }
}

/** "no space left on device (ENOSPC)" when a stdout write failed, else null. */
export function stdoutFailure(): string | null {
  return failure === null ? null : fsReason(failure);
}
