// Bytes as runs of equal values: the probe's I/O buffer and the test file's
// contents, as src/model/byte-runs.ts keeps them. Canonical (no two
// neighbouring runs hold the same value), so both models give the same runs
// for the same bytes. Off the hot paths: a read that copies what the last
// one copied skips it (AioProcess.rw).
import { MAX_PEEK_RUNS } from "./abi/limits";

export class ByteRuns {
  /** starts[i]: where run i begins; it ends where run i + 1 begins (the last never ends). */
  starts: i64[] = [0];
  values: i32[] = [0];

  clone(): ByteRuns {
    const c = new ByteRuns();
    c.starts = this.starts.slice(0);
    c.values = this.values.slice(0);
    return c;
  }

  /** The run holding byte `pos`. */
  private find(pos: i64): i32 {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (unchecked(this.starts[mid]) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** `len` bytes from `pos` hold `value`. */
  set(pos: i64, len: i64, value: i32): void {
    if (len <= 0) return;
    const end = pos + len;
    const i = this.find(pos);
    const j = this.find(end);
    const after = this.values[j];
    // The runs from starts[i] to run j's end, merged with run i - 1 and each other where values meet.
    const s = this.starts.slice(0, i);
    const v = this.values.slice(0, i);
    if (this.starts[i] < pos) {
      s.push(this.starts[i]);
      v.push(this.values[i]);
    }
    if (!v.length || v[v.length - 1] != value) {
      s.push(pos);
      v.push(value);
    }
    if (v[v.length - 1] != after) {
      s.push(end);
      v.push(after);
    }
    const n = this.starts.length;
    for (let k = j + 1; k < n; k++) {
      s.push(unchecked(this.starts[k]));
      v.push(unchecked(this.values[k]));
    }
    this.starts = s;
    this.values = v;
  }

  /** `len` bytes from `pos` of `src` copied to `at` here. */
  copyFrom(src: ByteRuns, pos: i64, len: i64, at: i64): void {
    if (len <= 0) return;
    const end = pos + len;
    // The source's runs first: `src` may be this object's copy, never this object, but its arrays are read before any set.
    const n = src.starts.length;
    const from: i64[] = [];
    const vals: i32[] = [];
    for (let i = src.find(pos); i < n && src.starts[i] < end; i++) {
      from.push(max(pos, src.starts[i]));
      vals.push(src.values[i]);
    }
    for (let k = 0; k < from.length; k++) {
      const to = k + 1 < from.length ? from[k + 1] : end;
      this.set(at + from[k] - pos, to - from[k], vals[k]);
    }
  }

  /**
   * `len` bytes from `pos` as (length, value) pairs of f64 at `out` (room
   * for MAX_PEEK_RUNS of them); past MAX_PEEK_RUNS - 1, one last (bytes
   * left, -1). Returns how many.
   */
  peek(pos: i64, len: i64, out: usize): i32 {
    const end = pos + len;
    const n = this.starts.length;
    let k = 0;
    for (let i = this.find(pos); i < n && this.starts[i] < end; i++) {
      const from = max(pos, this.starts[i]);
      if (k == MAX_PEEK_RUNS - 1 && i + 1 < n && this.starts[i + 1] < end) {
        store<f64>(out + (<usize>k << 4), <f64>(end - from));
        store<f64>(out + (<usize>k << 4), -1, 8);
        return k + 1;
      }
      const to = i + 1 < n ? min(end, this.starts[i + 1]) : end;
      store<f64>(out + (<usize>k << 4), <f64>(to - from));
      store<f64>(out + (<usize>k << 4), <f64>this.values[i], 8);
      k++;
    }
    return k;
  }
}
