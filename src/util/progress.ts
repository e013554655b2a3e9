// Progress for long runs: a single rewritten line on a TTY, silent when
// piped or in CI (CI=true), so logs stay clean.

export function progressEnabled(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}

export class Progress {
  private readonly enabled: boolean;
  private last = 0;

  constructor(
    private readonly label: string,
    /** What `done` counts up to; may be set once known. */
    public total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = progressEnabled(stream);
  }

  update(done: number, detail = ""): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const pct = this.total > 0 ? Math.min(100, (100 * done) / this.total) : 0;
    this.stream.write(`\r\x1b[K${this.label}: ${pct.toFixed(0).padStart(3)}% ${detail}`.slice(0, (this.stream.columns || 100) - 1));
  }

  done(): void {
    if (this.enabled) this.stream.write("\r\x1b[K");
  }
}
