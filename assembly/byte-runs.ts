// Bytes as runs of equal values: the probe's I/O buffer and the test file's
// contents, as src/model/byte-runs.ts keeps them. Canonical (no two
// neighbouring runs hold the same value), so both models give the same runs
// for the same bytes. Off the hot paths: a read that copies what the last
// one copied skips it (AioProcess.rw); a change of the runs allocates only
// when the arrays grow.
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

  /** `len` bytes from `pos` hold `value`. In place: the core's minimal runtime collects only at reset and a child's exit, and loops write millions of times. */
  set(pos: i64, len: i64, value: i32): void {
    if (len <= 0) return;
    const end = pos + len;
    const i = this.find(pos);
    const j = this.find(end);
    const starts = this.starts;
    const values = this.values;
    const after = unchecked(values[j]);
    // Runs i to j become at most three (run i's head, the new run, run j's tail), merged with run i - 1 and each other where values meet.
    let s0: i64 = 0, s1: i64 = 0, s2: i64 = 0;
    let v0 = 0, v1 = 0, v2 = 0;
    let m = 0;
    let last = i > 0 ? unchecked(values[i - 1]) : -1;
    const head = unchecked(starts[i]);
    if (head < pos) {
      s0 = head;
      v0 = unchecked(values[i]);
      last = v0;
      m = 1;
    }
    if (value != last) {
      if (m == 0) {
        s0 = pos;
        v0 = value;
      } else {
        s1 = pos;
        v1 = value;
      }
      last = value;
      m++;
    }
    if (after != last) {
      if (m == 0) {
        s0 = end;
        v0 = after;
      } else if (m == 1) {
        s1 = end;
        v1 = after;
      } else {
        s2 = end;
        v2 = after;
      }
      m++;
    }
    // Shift runs j + 1 on to follow the m new ones.
    const n = starts.length;
    const delta = m - (j - i + 1);
    if (delta > 0) {
      for (let k = 0; k < delta; k++) {
        starts.push(0);
        values.push(0);
      }
      for (let k = n - 1; k > j; k--) {
        unchecked((starts[k + delta] = starts[k]));
        unchecked((values[k + delta] = values[k]));
      }
    } else if (delta < 0) {
      for (let k = j + 1; k < n; k++) {
        unchecked((starts[k + delta] = starts[k]));
        unchecked((values[k + delta] = values[k]));
      }
      starts.length = n + delta;
      values.length = n + delta;
    }
    if (m > 0) {
      unchecked((starts[i] = s0));
      unchecked((values[i] = v0));
    }
    if (m > 1) {
      unchecked((starts[i + 1] = s1));
      unchecked((values[i + 1] = v1));
    }
    if (m > 2) {
      unchecked((starts[i + 2] = s2));
      unchecked((values[i + 2] = v2));
    }
  }

  /** The byte at `pos`. */
  at(pos: i64): u8 {
    return <u8>unchecked(this.values[this.find(pos)]);
  }

  /** The value every one of `len` bytes from `pos` holds, -1 when they differ (model: byte-runs.ts uniform). */
  uniform(pos: i64, len: i64): i32 {
    const i = this.find(pos);
    return i + 1 < this.starts.length && unchecked(this.starts[i + 1]) < pos + len ? -1 : unchecked(this.values[i]);
  }

  /** `len` bytes from `pos` written out to linear memory at `dst` (a file page read through a mapping). */
  copyOut(pos: i64, len: i64, dst: usize): void {
    const end = pos + len;
    const n = this.starts.length;
    for (let i = this.find(pos); i < n && unchecked(this.starts[i]) < end; i++) {
      const from = max(pos, unchecked(this.starts[i]));
      const to = i + 1 < n ? min(end, unchecked(this.starts[i + 1])) : end;
      memory.fill(dst + <usize>(from - pos), <u8>unchecked(this.values[i]), <usize>(to - from));
    }
  }

  /** `len` bytes from `pos` of `src` (never this object: the buffer and the file) copied to `at` here. */
  copyFrom(src: ByteRuns, pos: i64, len: i64, at: i64): void {
    if (len <= 0) return;
    const end = pos + len;
    const n = src.starts.length;
    for (let i = src.find(pos); i < n && src.starts[i] < end; i++) {
      const from = max(pos, src.starts[i]);
      const to = i + 1 < n ? min(end, src.starts[i + 1]) : end;
      this.set(at + from - pos, to - from, src.values[i]);
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
