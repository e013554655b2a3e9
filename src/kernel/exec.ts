import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { UserError } from "../contract/errors.js";

/**
 * Process groups of the probes running now. The probe dies with the CLI
 * however it ends: the probe asks the kernel for SIGKILL when its parent
 * dies (PR_SET_PDEATHSIG, probe.c main), and on SIGINT/SIGTERM/exit we kill
 * the groups ourselves, which also reaches a scenario child blocked in the
 * kernel.
 */
const running = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function killRunning(): void {
  for (const pid of running) killGroup(pid);
}

/**
 * On SIGINT/SIGTERM: kill the probes, then die of the signal as we would
 * have without a handler, unless the command has its own handler (bench
 * stops after the current benchmark on the first Ctrl-C: the probe must
 * then finish its loop).
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killRunning();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.kill(process.pid, signal);
}

function track(pid: number): void {
  if (running.size === 0) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("exit", killRunning);
  }
  running.add(pid);
}

function untrack(pid: number): void {
  running.delete(pid);
  if (running.size === 0) {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", killRunning);
  }
}

/**
 * Starts the probe with fixed arguments in its own process group (a kill
 * reaches its scenario children too), tracked so that it dies with us; when
 * it ends, whatever it left behind in its group is killed.
 */
export function spawnProbe(probe: string, args: string[]): ChildProcessWithoutNullStreams {
  // AIO_RING_BENCH_PARENT: the probe checks it is still our child after PR_SET_PDEATHSIG.
  return spawnInGroup(probe, args, { ...process.env, AIO_RING_BENCH_PARENT: String(process.pid) });
}

/**
 * Starts a program in its own process group, tracked like the probe: killed
 * (the whole group) on SIGINT, SIGTERM and exit, and when it ends.
 */
export function spawnInGroup(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcessWithoutNullStreams {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, env });
  const pid = child.pid;
  if (pid !== undefined) {
    track(pid);
    child.on("close", () => {
      killGroup(pid);
      untrack(pid);
    });
  }
  return child;
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
