import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { UserError } from "../contract/errors.js";
import { spawnInGroup } from "../util/process-groups.js";

/**
 * Starts the probe with fixed arguments in its own process group (a kill
 * reaches its scenario children too), dying with us (src/util/process-groups.ts;
 * on SIGKILL the probe's PR_SET_PDEATHSIG, probe.c main).
 */
export function spawnProbe(probe: string, args: string[]): ChildProcessWithoutNullStreams {
  // AIO_RING_BENCH_PARENT: the probe checks it is still our child after PR_SET_PDEATHSIG.
  return spawnInGroup(probe, args, { env: { ...process.env, AIO_RING_BENCH_PARENT: String(process.pid) } });
}

export interface ExecOptions {
  input?: string;
  timeoutMs: number;
  maxStdoutBytes: number;
}

/**
 * Runs the probe binary with fixed arguments (never anything read from a
 * file) and returns its stdout. Output beyond the bound or a run beyond the
 * timeout kills the probe: a runaway probe must not hang or flood the caller.
 */
export function execProbe(probe: string, args: string[], opts: ExecOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnProbe(probe, args);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = "";
    let failure: string | null = null;
    const stop = (why: string): void => {
      if (failure === null) failure = why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL"); // the group is already gone; make sure of the leader
      }
    };
    const timer = setTimeout(() => stop(`probe timed out after ${opts.timeoutMs} ms`), opts.timeoutMs);
    child.stdout.on("data", (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > opts.maxStdoutBytes) stop(`probe output exceeded ${opts.maxStdoutBytes} bytes`);
      else out.push(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      if (err.length < 4096) err += b.toString("utf8");
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new UserError(`kernel backend: cannot run ${probe}: ${e.code ?? e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure !== null) return reject(new UserError(`kernel backend: ${failure}`));
      if (signal !== null) return reject(new UserError(`kernel backend: probe killed by ${signal}`));
      const stdout = Buffer.concat(out).toString("utf8");
      // A probe_error document comes with exit status 1: the caller reads it.
      if (code !== 0 && !stdout.includes('"probe_error"')) {
        const detail = err.trim().split("\n")[0] ?? "";
        return reject(new UserError(`kernel backend: probe exited with status ${code}${detail ? `: ${detail}` : ""}`));
      }
      resolve(stdout);
    });
    // The probe may exit before reading all input (e.g. a bad wire line).
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.input ?? "");
  });
}
