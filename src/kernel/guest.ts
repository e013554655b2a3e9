// One guest kernel under QEMU (TCG: software emulation, which boots stock
// kernels where the machine's KVM cannot): the kernel, the initramfs of
// initramfs.ts and `cpus` CPUs (they set ring sizes and slot counts, so they
// are the scenario's). The probe's `scenarios` command runs in the guest on
// its second serial port; programs go in one after another and each comes
// back as one answer line, so one boot serves many programs. QEMU runs in its
// own process group, killed on SIGINT/SIGTERM/exit (exec.ts) and, where
// util-linux's setpriv is there, also when this process dies of SIGKILL.
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../contract/errors.js";
import type { Scenario } from "../contract/scenario.js";
import { parseAnswerLine, type KernelRun, MAX_LINE_BYTES } from "./answer.js";
import { spawnInGroup } from "../util/process-groups.js";
import { READY_MARKER } from "./initramfs.js";
import { encodeScenario } from "./wire.js";

export const QEMU = "qemu-system-x86_64";

export interface GuestOptions {
  /** How the user named the kernel: every error message starts with it. */
  name: string;
  vmlinuz: string;
  initramfs: string;
  cpus: number;
  /** Watchdog per program inside the guest, seconds. */
  seconds: number;
  /** Each program starts once the one before has exited and given its aio-nr back (the probe's settle=1). */
  settle?: boolean;
  /** How long the boot may take before the guest counts as not booting. */
  bootSeconds?: number;
}

/** Input that may wait in the guest's serial buffers beyond the program being run (the tty drops bytes past its buffers). */
const QUEUED_BYTES = 8 * 1024;
const CONSOLE_TAIL = 4096;

function setprivPath(): string | null {
  for (const p of ["/usr/bin/setpriv", "/bin/setpriv"]) if (existsSync(p)) return p;
  return null;
}

export function qemuArgs(o: GuestOptions, consoleFile: string): string[] {
  return [
    "-accel",
    "tcg",
    "-cpu",
    "max",
    // A scenario maps up to MAX_MAPPING_PAGES (2 GiB) at once, which the
    // guest's heuristic overcommit refuses when it exceeds its RAM (ENOMEM
    // at 2G: 1.93 GiB usable; FINDINGS 60). TCG allocates guest RAM as it
    // is touched, so the third GiB costs little (qemu's peak RSS ~+10 MiB).
    "-m",
    "3G",
    "-smp",
    String(o.cpus),
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-no-reboot",
    "-kernel",
    o.vmlinuz,
    "-initrd",
    o.initramfs,
    "-append",
    // Unknown name=value parameters reach init as environment variables.
    // From 6.5 a work item that runs 10 ms lets the next ones run beside it,
    // and under emulation a preempted vCPU makes any item seem to: the sync
    // blocks of one io_submit then complete out of order (FINDINGS 43). 6.1
    // ignores the parameter (no such module parameter there).
    `console=ttyS0 quiet panic=-1 workqueue.cpu_intensive_thresh_us=4000000000 aio_ring_bench_seconds=${o.seconds}${o.settle ? " aio_ring_bench_settle=settle=1" : ""}`,
    // ttyS0, the console, to a file (its tail goes into messages); ttyS1, the data port, on stdio.
    "-serial",
    `file:${consoleFile}`,
    "-serial",
    "stdio",
  ];
}

interface Pending {
  program: Scenario;
  wire: string;
  sent: boolean;
  /** null: not run, the guest went away before it started (it may run on another). */
  resolve: (run: KernelRun | null) => void;
}

export class Guest {
  /** The guest's `uname -r`. */
  release = "";
  aioMaxNr = 0;
  /** Seconds from starting QEMU to the guest's ready line. */
  bootSeconds = 0;
  private readonly child;
  private buffered = "";
  private qemuErr = "";
  private readonly consoleDir: string;
  private ready = false;
  private ended: string | null = null;
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Settles when the guest reads programs; a UserError naming the kernel when it does not boot. */
  readonly booted: Promise<void>;

  constructor(readonly opts: GuestOptions) {
    const started = performance.now();
    const setpriv = setprivPath();
    this.consoleDir = mkdtempSync(join(tmpdir(), "aio-ring-bench-guest-"));
    const args = qemuArgs(opts, join(this.consoleDir, "console"));
    this.child = setpriv ? spawnInGroup(setpriv, ["--pdeathsig", "KILL", "--", QEMU, ...args]) : spawnInGroup(QEMU, args);
    this.child.stdout.setEncoding("utf8");
    this.child.stderr.setEncoding("utf8");
    this.child.stdin.on("error", () => undefined);
    this.child.stderr.on("data", (s: string) => {
      this.qemuErr = (this.qemuErr + s).slice(-CONSOLE_TAIL);
    });
    this.booted = new Promise((resolve, reject) => {
      const bootTimer = setTimeout(() => this.kill(`did not boot within ${opts.bootSeconds ?? 120} s`), (opts.bootSeconds ?? 120) * 1000);
      this.child.stdout.on("data", (chunk: string) => {
        this.buffered += chunk;
        if (this.buffered.length > MAX_LINE_BYTES) return this.kill(`answer line exceeded ${MAX_LINE_BYTES} bytes`);
        for (let nl = this.buffered.indexOf("\n"); nl >= 0; nl = this.buffered.indexOf("\n")) {
          const line = this.buffered.slice(0, nl).replace(/\r$/, "");
          this.buffered = this.buffered.slice(nl + 1);
          if (!this.ready) {
            // The marker may share its line with whatever came before it.
            const m = new RegExp(`${READY_MARKER} release=(\\S+) aio_max_nr=(\\d+)`).exec(line);
            if (!m) continue;
            this.ready = true;
            this.release = m[1];
            this.aioMaxNr = Number(m[2]);
            this.bootSeconds = (performance.now() - started) / 1000;
            clearTimeout(bootTimer);
            resolve();
            this.pump();
          } else this.answer(line);
        }
      });
      this.child.on("error", (e: NodeJS.ErrnoException) => this.end(`cannot run ${QEMU}: ${e.code ?? e.message}`));
      this.child.on("close", (code, signal) => {
        clearTimeout(bootTimer);
        const console = this.consoleLine();
        rmSync(this.consoleDir, { recursive: true, force: true });
        this.end(this.ended ?? `QEMU exited (${signal ?? `status ${code}`})${console}`);
        if (!this.ready) reject(new UserError(`kernel ${opts.name}: the guest did not boot: ${this.ended}`));
      });
    });
    // Whoever waits on a run learns of a failed boot through it; this keeps the rejection handled.
    this.booted.catch(() => undefined);
  }

  /** QEMU's last error line, else the guest console's last meaningful line (and a panic's reason), for messages. */
  private consoleLine(): string {
    const err = this.qemuErr.trim().split("\n").at(-1);
    if (err) return `; ${err.slice(0, 200)}`;
    let text = "";
    try {
      const fd = openSync(join(this.consoleDir, "console"), "r");
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, CONSOLE_TAIL));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      closeSync(fd);
      text = buf.toString("utf8");
    } catch {
      return "";
    }
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !/^Booting from ROM|^SeaBIOS|^iPXE/.test(l));
    const last = lines.at(-1);
    if (!last) return "";
    // A panic's own line says why; the lines after it (its trace, the kernel offset) do not.
    const panic = lines.filter((l) => /Kernel panic|BUG:|Oops:/.test(l)).at(-1);
    return `; console: ${panic && panic !== last ? `${panic.slice(0, 200)} ... ` : ""}${last.slice(0, 200)}`;
  }

  private kill(why: string): void {
    this.ended ??= `${why}${this.consoleLine()}`;
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, "SIGKILL");
    } catch {
      this.child.kill("SIGKILL");
    }
  }

  private crash(): KernelRun {
    return { kind: "crashed", message: `guest ${this.release || this.opts.name}: ${this.ended}`, step: null };
  }

  /** The guest is gone: the program it was running crashed with it (the reproducer); the others never ran. */
  private end(why: string): void {
    this.ended ??= why;
    if (this.timer) clearTimeout(this.timer);
    const running = this.ready && this.queue[0]?.sent;
    for (const [i, p] of this.queue.splice(0).entries()) p.resolve(i === 0 && running ? this.crash() : null);
  }

  get alive(): boolean {
    return this.ended === null;
  }

  /** QEMU's process id (the leader of its process group). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the guest ever read programs. */
  get didBoot(): boolean {
    return this.ready;
  }

  private answer(line: string): void {
    const p = this.queue.shift();
    if (!p) {
      this.kill(`the guest answered a program it was not given: ${line.slice(0, 120)}`);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A probe_error without a step is the probe itself failing.
    if (line.includes('"probe_error"') && !line.includes('"step"')) {
      p.resolve({ kind: "crashed", message: `guest ${this.release}: ${line.slice(0, 300)}`, step: null });
      this.kill(`the probe failed: ${line.slice(0, 200)}`);
      return;
    }
    p.resolve(parseAnswerLine(line));
    this.pump();
  }

  /**
   * Sends what may be sent: the program at the head always, the next ones
   * while they fit the queued-bytes bound. The head is under a host-side
   * watchdog beyond the probe's own, for a guest that hangs as a whole.
   */
  private pump(): void {
    if (!this.ready || this.ended !== null) return;
    let queued = 0;
    for (const [i, p] of this.queue.entries()) {
      if (!p.sent) {
        if (i > 0 && queued + p.wire.length > QUEUED_BYTES) break;
        this.child.stdin.write(p.wire);
        p.sent = true;
      }
      if (i > 0) queued += p.wire.length;
    }
    if (this.queue.length > 0 && this.timer === null) {
      this.timer = setTimeout(() => this.kill(`hung: no answer within ${this.opts.seconds * 3 + 30} s`), (this.opts.seconds * 3 + 30) * 1000);
    }
  }

  /** Runs one program in the guest: "crashed" when the guest dies or hangs under it, null when it went away before. */
  run(program: Scenario): Promise<KernelRun | null> {
    const wire = `${encodeScenario(program.name, program).text}=\n`;
    return new Promise((resolve) => {
      if (this.ended !== null) return resolve(null);
      this.queue.push({ program, wire, sent: false, resolve });
      this.pump();
    });
  }

  /** Ends the guest (a serial port has no end of input to tell it: QEMU is killed; nothing in the guest is kept). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const closed = new Promise((r) => this.child.once("close", r));
    this.kill("closed");
    await closed;
  }
}

/** Boots beyond the first a lane may spend on guests that died under a program. */
const MAX_RESTARTS = 50;

/**
 * A guest that keeps serving: when one dies or hangs under a program (that
 * program is answered "crashed"), a fresh guest takes the programs that had
 * not run yet. A guest that does not boot fails the lane (`onFail`).
 */
export class GuestLane {
  private guest: Guest;
  private restarts = 0;
  private waiting = 0;

  constructor(
    private readonly opts: GuestOptions,
    private readonly onFail: (why: string) => void,
  ) {
    this.guest = this.start();
  }

  private start(): Guest {
    const g = new Guest(this.opts);
    g.booted.catch((e: Error) => this.onFail(e.message));
    return g;
  }

  get pending(): number {
    return this.waiting;
  }

  /** The guest serving now. */
  get current(): Guest {
    return this.guest;
  }

  async run(program: Scenario): Promise<KernelRun> {
    this.waiting++;
    try {
      for (;;) {
        const g = this.guest;
        const r = await g.run(program);
        if (r !== null) return r;
        if (!g.didBoot) return { kind: "crashed", message: `kernel ${this.opts.name}: the guest did not boot`, step: null };
        if (this.guest === g) {
          if (++this.restarts > MAX_RESTARTS) {
            this.onFail(`kernel ${this.opts.name}: ${MAX_RESTARTS} guests died under programs; giving up`);
            return { kind: "crashed", message: "too many guests died", step: null };
          }
          this.guest = this.start();
        }
      }
    } finally {
      this.waiting--;
    }
  }

  close(): Promise<void> {
    return this.guest.close();
  }
}
