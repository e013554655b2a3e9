// Many programs on the live kernel at once: each lane is one probe running
// its `scenarios` command, fed programs one after another through its stdin
// (each runs in its own forked child and is answered by one line as soon as
// it has run), and several lanes run side by side, pinned round-robin to the
// CPUs. io_destroy and process exit sleep for an RCU grace period, so lanes
// beyond the CPU count still add speed.
import { defaultProbePath } from "../kernel/paths.js";
import { spawnProbe } from "../kernel/exec.js";
import { encodeScenario } from "../kernel/wire.js";
import { UserError } from "../contract/errors.js";
import type { Scenario } from "../contract/scenario.js";
import { possibleCpus } from "../util/possible-cpus.js";
import { GuestLane } from "../kernel/guest.js";
import type { GuestKernel } from "../kernel/guest-kernels.js";
import { MAX_LINE_BYTES, parseAnswerLine, type KernelRun } from "../kernel/answer.js";

export type { KernelRun };

export interface LaneOptions {
  lanes: number;
  /** Watchdog per program, seconds. */
  seconds: number;
  /** Each program starts only once the one before has exited and given its aio-nr back (for programs that take the limit). */
  settle?: boolean;
  probe?: string;
  /** Run on this guest kernel under QEMU instead: `lanes` guests of `cpus` CPUs, one probe each. */
  guest?: { kernel: GuestKernel; cpus: number };
}

/** One probe process and the programs it has been given and not yet answered. */
class Lane {
  private readonly waiting: ((run: KernelRun) => void)[] = [];
  private buffered = "";
  private failure: string | null = null;
  private readonly child;

  constructor(
    probe: string,
    args: string[],
    private readonly onFail: (why: string) => void,
  ) {
    this.child = spawnProbe(probe, args);
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => {
      this.buffered += chunk;
      if (this.buffered.length > MAX_LINE_BYTES) return this.fail(`probe output line exceeded ${MAX_LINE_BYTES} bytes`);
      for (let nl = this.buffered.indexOf("\n"); nl >= 0; nl = this.buffered.indexOf("\n")) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const answer = this.waiting.shift();
        if (!answer) return this.fail(`probe answered a program it was not given: ${line.slice(0, 120)}`);
        // A probe_error without a step is the probe itself failing (bad arguments, no CPU to pin to).
        if (line.includes('"probe_error"') && !line.includes('"step"')) return this.fail(line.slice(0, 300));
        answer(parseAnswerLine(line));
      }
    });
    this.child.stdin.on("error", () => undefined);
    this.child.on("error", (e: NodeJS.ErrnoException) => onFail(`kernel backend: cannot run ${probe}: ${e.code ?? e.message}`));
    this.child.on("close", (code, signal) => {
      if (this.waiting.length > 0)
        onFail(this.failure ?? `kernel backend: probe ended (${signal ?? `status ${code}`}) with ${this.waiting.length} programs unanswered`);
    });
  }

  private fail(why: string): void {
    this.failure = `kernel backend: ${why}`;
    this.child.kill("SIGKILL");
    this.onFail(this.failure);
  }

  run(program: Scenario): Promise<KernelRun> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(encodeScenario(program.name, program).text + "=\n");
    });
  }

  get pending(): number {
    return this.waiting.length;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * Probes that stay up while programs are handed to them one by one: each
 * program goes to the lane with the fewest waiting, and its answer comes
 * back as soon as it has run. A lane that fails fails every run after it.
 */
export class KernelLanes {
  private readonly lanes: (Lane | GuestLane)[];
  private failure: UserError | null = null;
  private rejectors = new Set<(e: UserError) => void>();

  constructor(opts: LaneOptions) {
    const cpus = possibleCpus();
    const onFail = (why: string) => {
      this.failure ??= new UserError(why);
      for (const reject of this.rejectors) reject(this.failure);
      this.rejectors.clear();
    };
    const guest = opts.guest;
    if (guest) {
      const { kernel, cpus } = guest;
      const o = { name: kernel.name, vmlinuz: kernel.vmlinuz, initramfs: kernel.initramfs, cpus, seconds: opts.seconds, settle: opts.settle };
      this.lanes = Array.from({ length: opts.lanes }, () => new GuestLane(o, onFail));
      return;
    }
    this.lanes = Array.from({ length: opts.lanes }, (_, i) => {
      const args = ["scenarios", `cpu=${i % cpus}`, `seconds=${opts.seconds}`, ...(opts.settle ? ["settle=1"] : [])];
      return new Lane(opts.probe ?? defaultProbePath(), args, onFail);
    });
  }

  /** Probes (or guests) side by side. */
  get size(): number {
    return this.lanes.length;
  }

  run(program: Scenario): Promise<KernelRun> {
    if (this.failure) return Promise.reject(this.failure);
    const lane = this.lanes.reduce((a, b) => (b.pending < a.pending ? b : a));
    return new Promise((resolve, reject) => {
      this.rejectors.add(reject);
      lane.run(program).then((r) => {
        this.rejectors.delete(reject);
        resolve(r);
      });
    });
  }

  close(): void {
    for (const lane of this.lanes) void lane.close();
  }
}

/** Runs every program on the kernel, `lanes` probes side by side; results in program order. */
export async function runOnKernel(programs: Scenario[], opts: LaneOptions): Promise<KernelRun[]> {
  if (programs.length === 0) return [];
  const lanes = new KernelLanes({ ...opts, lanes: Math.min(opts.lanes, programs.length) });
  try {
    return await Promise.all(programs.map((p) => lanes.run(p)));
  } finally {
    lanes.close();
  }
}
