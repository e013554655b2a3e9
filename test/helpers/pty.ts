/**
 * Runs a command in a real pseudo-terminal and presses Ctrl-C the way a
 * user does: the byte 0x03 typed into the terminal, which the line
 * discipline turns into SIGINT for the foreground process group. Node has no
 * pty of its own; Python's standard pty module does it, so the tests that
 * use this skip (with the reason) where python3 is missing.
 */
import { spawnSync } from "node:child_process";

/** Why a real terminal cannot be had here, or null. */
export function ptyUnavailable(): string | null {
  const r = spawnSync("python3", ["-c", "import pty, select"], { encoding: "utf8" });
  return r.status === 0 ? null : "python3 with its pty module is needed for a real terminal";
}

export interface PtyRun {
  /** Exit code (128+N for death by signal N), or null when it had to be killed. */
  code: number | null;
  /** Everything the terminal showed. */
  output: string;
  /** Seconds from the first Ctrl-C to exit (null when none was pressed). */
  afterCtrlC: number | null;
}

// Waits for `wait` in the output (a regex), then types Ctrl-C `presses` times,
// `gap` seconds apart; kills the group after `limit` seconds.
const DRIVER = String.raw`
import json, os, pty, re, select, signal, sys, time
wait, presses, gap, limit = re.compile(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[5], sys.argv[5:])
out, sent, first, status, t0 = b"", 0, None, None, time.time()
while status is None:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            out += os.read(fd, 65536)
        except OSError:
            pass
    now = time.time()
    if sent < presses and wait.search(out.decode(errors="replace")) and (first is None or now - first >= gap * sent):
        os.write(fd, b"\x03")
        sent += 1
        first = first or now
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        status = os.waitstatus_to_exitcode(st)
    elif now - t0 > limit:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        break
end = time.time()
try:
    while select.select([fd], [], [], 0.1)[0]:
        d = os.read(fd, 65536)
        if not d:
            break
        out += d
except OSError:
    pass
code = None if status is None else (128 - status if status < 0 else status)
print(json.dumps({"code": code, "output": out.decode(errors="replace"), "afterCtrlC": None if first is None else end - first}))
`;

export function runInPty(
  command: string[],
  opts: { waitFor: RegExp; presses: number; gapSeconds?: number; limitSeconds: number; env?: NodeJS.ProcessEnv; cwd?: string },
): PtyRun {
  const r = spawnSync(
    "python3",
    ["-c", DRIVER, opts.waitFor.source, String(opts.presses), String(opts.gapSeconds ?? 0.5), String(opts.limitSeconds), ...command],
    { encoding: "utf8", env: opts.env, cwd: opts.cwd, maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PtyRun;
}
