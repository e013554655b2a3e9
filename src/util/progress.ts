// Progress for long runs: a single rewritten line on a TTY with an estimate
// of the time left, silent when piped or in CI (CI=true), so logs stay clean.

export function progressEnabled(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}

/** Seconds as "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** Before this much has run, the rate says too little for an estimate. */
const ETA_AFTER_MS = 2000;

export class Progress {
  private readonly enabled: boolean;
  private last = Number.NEGATIVE_INFINITY;
  private started: number | null = null;

  constructor(
    private readonly label: string,
    /** What `done` counts up to; may be set once known. */
    public total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = progressEnabled(stream);
  }

  /**
   * Redraws the line (at most every 100 ms). The time left assumes the rest
   * goes at the rate so far, from the first update on.
   */
  update(done: number, detail = ""): void {
    if (!this.enabled) return;
    const now = this.now();
    this.started ??= now;
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const pct = this.total > 0 ? Math.min(100, (100 * done) / this.total) : 0;
    const elapsed = now - this.started;
    const eta = elapsed >= ETA_AFTER_MS && done > 0 && done < this.total ? `, ${formatDuration(((this.total - done) * elapsed) / done / 1000)} left` : "";
    this.stream.write(`\r\x1b[K${this.label}: ${pct.toFixed(0).padStart(3)}%${eta} ${detail}`.slice(0, (this.stream.columns || 100) - 1));
  }

  /**
   * A new phase counting up to `total` (fuzz's shrinking after its
   * programs): the time left comes from this phase's rate alone, not from
   * the time the last one took.
   */
  restart(total: number): void {
    this.total = total;
    this.started = null;
    this.last = Number.NEGATIVE_INFINITY;
  }

  /** Clears the line (before other output, and at the end). */
  done(): void {
    if (this.enabled) this.stream.write("\r\x1b[K");
  }
}
