// Bytes as runs of equal values: the probe's I/O buffer and the test file's
// contents (docs/semantics.md "Data"). Kept canonical (no two neighbouring
// runs hold the same value), so two histories that leave the same bytes
// give the same runs, and the WASM core's assembly/byte-runs.ts answers
// alike whatever order it splits and merges in.
import { MAX_PEEK_RUNS } from "../../assembly/abi/limits.js";

export class ByteRuns {
  /** starts[i]: where run i begins; it ends where run i + 1 begins (the last never ends). */
  private starts: number[] = [0];
  private values: number[] = [0];

  clone(): ByteRuns {
    const c = new ByteRuns();
    c.starts = this.starts.slice();
    c.values = this.values.slice();
    return c;
  }

  /** The run holding byte `pos`. */
  private find(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** `len` bytes from `pos` hold `value`. */
  set(pos: number, len: number, value: number): void {
    if (len <= 0) return;
    const end = pos + len;
    const i = this.find(pos);
    const j = this.find(end);
    const after = this.values[j];
    // The runs from starts[i] to run j's end, merged with run i - 1 and each other where values meet.
    const s: number[] = [];
    const v: number[] = [];
    let last = i > 0 ? this.values[i - 1] : -1;
    const push = (at: number, val: number) => {
      if (val === last) return;
      s.push(at);
      v.push(val);
      last = val;
    };
    if (this.starts[i] < pos) push(this.starts[i], this.values[i]);
    push(pos, value);
    push(end, after);
    this.starts.splice(i, j - i + 1, ...s);
    this.values.splice(i, j - i + 1, ...v);
  }

  /** The runs of `len` bytes from `pos`, as [start, length, value] in order. */
  private slice(pos: number, len: number): [number, number, number][] {
    const out: [number, number, number][] = [];
    const end = pos + len;
    for (let i = this.find(pos); i < this.starts.length && this.starts[i] < end; i++) {
      const from = Math.max(pos, this.starts[i]);
      const to = i + 1 < this.starts.length ? Math.min(end, this.starts[i + 1]) : end;
      out.push([from, to - from, this.values[i]]);
    }
    return out;
  }

  /** The byte at `pos`. */
  at(pos: number): number {
    return this.values[this.find(pos)];
  }

  /** The value every one of `len` bytes from `pos` holds, -1 when they differ (a `peek` of a file page). */
  uniform(pos: number, len: number): number {
    const i = this.find(pos);
    return i + 1 < this.starts.length && this.starts[i + 1] < pos + len ? -1 : this.values[i];
  }

  /** `len` bytes from `pos` of `src` copied to `at` here. */
  copyFrom(src: ByteRuns, pos: number, len: number, at: number): void {
    if (len <= 0) return;
    for (const [from, n, value] of src.slice(pos, len)) this.set(at + from - pos, n, value);
  }

  /** `len` bytes from `pos` as [length, value] runs; past MAX_PEEK_RUNS - 1 of them, one last [bytes left, -1]. */
  peek(pos: number, len: number): [number, number][] {
    const runs = this.slice(pos, len).map(([, n, value]): [number, number] => [n, value]);
    if (runs.length <= MAX_PEEK_RUNS) return runs;
    const left = runs.slice(MAX_PEEK_RUNS - 1).reduce((sum, [n]) => sum + n, 0);
    return [...runs.slice(0, MAX_PEEK_RUNS - 1), [left, -1]];
  }
}
