/**
 * Child processes that die with the CLI however it ends. Each runs in its
 * own process group (a kill reaches whatever it started too), and on
 * SIGINT/SIGTERM/exit the groups are killed and the registered clean-ups
 * (temp folders of unfinished work) run before we die of the signal as we
 * would have without a handler. A command with its own handler (bench
 * stops after the current benchmark on the first Ctrl-C) keeps its
 * children until it ends. SIGKILL runs no handler: each child must also
 * notice its parent's death itself (the probe: PR_SET_PDEATHSIG; asc:
 * its standard input closing, src/bench/asc-child.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams, type SpawnOptions } from "node:child_process";

const running = new Set<number>();
const cleanups = new Set<() => void>();

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function endAll(): void {
  for (const pid of running) killGroup(pid);
  for (const c of cleanups) {
    try {
      c();
    } catch {
      // best effort on the way out
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  endAll();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.kill(process.pid, signal);
}

function listen(): void {
  if (running.size + cleanups.size > 0) return;
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", endAll);
}

function unlisten(): void {
  if (running.size + cleanups.size > 0) return;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.off("exit", endAll);
}

/**
 * Starts `file args` in its own process group with piped standard streams,
 * tracked until it closes; then whatever it left in its group is killed.
 */
export function spawnInGroup(file: string, args: readonly string[], opts: Omit<SpawnOptions, "stdio" | "detached"> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(file, args, { ...opts, stdio: ["pipe", "pipe", "pipe"], detached: true }) as ChildProcessWithoutNullStreams;
  const pid = child.pid;
  if (pid !== undefined) {
    listen();
    running.add(pid);
    child.on("close", () => {
      killGroup(pid);
      running.delete(pid);
      unlisten();
    });
  }
  return child;
}

/** Runs `f` with `cleanup` registered to run if we are killed by SIGINT/SIGTERM or exit before it settles. */
export async function withCleanup<T>(cleanup: () => void, f: () => Promise<T>): Promise<T> {
  listen();
  cleanups.add(cleanup);
  try {
    return await f();
  } finally {
    cleanups.delete(cleanup);
    unlisten();
  }
}
