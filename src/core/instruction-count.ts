/**
 * Exact counts of executed WASM instructions, without valgrind or a PMU: a
 * rewriter of a module's code section that adds, at the start of every
 * straight-line segment, `counter += instructions in the segment` to an
 * exported mutable i64 global. A segment ends at each instruction that can
 * transfer control (loop, if, br, br_if, br_table, return, unreachable,
 * tail calls) and before each `else` and `end` (branch targets and merge
 * points), so every instruction of a segment runs whenever its first does
 * and the count is exact (a trap mid-segment aside).
 *
 * What counts: every instruction of the binary the timed instance runs, one
 * each (block, loop, if, br, call, local.get, i32.add, v128.load ...), except
 * the `end` and `else` markers. Not machine instructions: the engine turns
 * a WASM instruction into zero (a local.get kept in a register) or several.
 * The added code is not counted. The input bytes are never modified.
 */

/** Name of the exported i64 global holding the count. */
export const COUNTER_EXPORT = "__wasm_instructions";

class Reader {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    pos = 0,
    readonly end = b.length,
  ) {
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.end) throw new RangeError("unexpected end of WASM section");
    return this.b[this.pos++];
  }
  u32(): number {
    let result = 0,
      shift = 0,
      byte: number;
    do {
      byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  /** Skips a signed or unsigned LEB128 of any width. */
  leb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.end) throw new RangeError("unexpected end of WASM section");
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory: memory index
  r.leb();
}

/** Skips the immediates of the opcode just read (`op`, with its sub-opcode for prefixed ones). */
function skipImmediates(r: Reader, op: number): void {
  if (op === 0x02 || op === 0x03 || op === 0x04) {
    const t = r.b[r.pos];
    if (t === 0x40 || (t >= 0x6f && t <= 0x7f)) r.pos++;
    else r.leb(); // type index (s33)
  } else if (op === 0x0c || op === 0x0d || op === 0x10 || op === 0x12 || (op >= 0x20 && op <= 0x26) || op === 0xd2) r.u32();
  else if (op === 0x0e) {
    const n = r.u32();
    for (let i = 0; i <= n; i++) r.u32();
  } else if (op === 0x11 || op === 0x13) {
    r.u32();
    r.u32();
  } else if (op === 0x1c) r.skip(r.u32());
  else if (op >= 0x28 && op <= 0x3e) memarg(r);
  else if (op === 0x3f || op === 0x40 || op === 0x41 || op === 0x42 || op === 0xd0) r.leb();
  else if (op === 0x43) r.skip(4);
  else if (op === 0x44) r.skip(8);
  else if (op === 0xfc) {
    const sub = r.u32();
    if (sub <= 7) return;
    if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
      r.u32();
      r.u32();
    } else if (sub <= 17) r.u32();
    else throw new RangeError(`unknown 0xfc opcode ${sub}`);
  } else if (op === 0xfd) {
    const sub = r.u32();
    if (sub <= 11 || sub === 92 || sub === 93) memarg(r);
    else if (sub === 12 || sub === 13) r.skip(16);
    else if (sub >= 21 && sub <= 34) r.skip(1);
    else if (sub >= 84 && sub <= 91) {
      memarg(r);
      r.skip(1);
    }
  } else if (op === 0xfe) {
    const sub = r.u32();
    if (sub === 0x03) r.skip(1);
    else memarg(r);
  } else if (!(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1)) {
    throw new RangeError(`unknown opcode 0x${op.toString(16)}`);
  }
}

/** Instructions after which control may not fall through to the next one, or arrive from elsewhere. */
function endsSegment(op: number): boolean {
  return op === 0x00 || op === 0x03 || op === 0x04 || op === 0x0c || op === 0x0d || op === 0x0e || op === 0x0f || op === 0x12 || op === 0x13;
}

/** One function body with a counter update at the start of each straight-line segment. */
function instrumentBody(b: Uint8Array, start: number, end: number, global: number): number[] {
  const r = new Reader(b, start, end);
  const locals = r.u32();
  for (let i = 0; i < locals; i++) {
    r.u32();
    r.byte();
  }
  const out: number[] = Array.from(b.subarray(start, r.pos));
  const g = uleb(global);
  let segment: number[] = [];
  let count = 0;
  const flush = (): void => {
    if (count > 0) out.push(0x23, ...g, 0x42, ...sleb(count), 0x7c, 0x24, ...g);
    for (const x of segment) out.push(x);
    segment = [];
    count = 0;
  };
  while (r.pos < end) {
    const at = r.pos;
    const op = r.byte();
    if (op === 0x05 || op === 0x0b) {
      flush();
      out.push(op);
      continue;
    }
    skipImmediates(r, op);
    for (let i = at; i < r.pos; i++) segment.push(b[i]);
    count++;
    if (endsSegment(op)) flush();
  }
  flush();
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/**
 * The counted twin of a module: same functions, same exports plus
 * COUNTER_EXPORT (a mutable i64 global, the number of instructions executed
 * since instantiation; set it to 0n to start over).
 */
export function instrumentWasm(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new RangeError("not a WASM module");
  const sections: { id: number; start: number; end: number }[] = [];
  const r = new Reader(bytes, 8);
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, start: r.pos, end: r.pos + size });
    r.skip(size);
  }
  let importedGlobals = 0;
  let definedGlobals = 0;
  for (const s of sections) {
    const sr = new Reader(bytes, s.start, s.end);
    if (s.id === 2) {
      const n = sr.u32();
      for (let i = 0; i < n; i++) {
        sr.skip(sr.u32());
        sr.skip(sr.u32());
        const kind = sr.byte();
        if (kind === 0x00) sr.u32();
        else if (kind === 0x01) {
          sr.byte();
          const flags = sr.u32();
          sr.u32();
          if (flags & 1) sr.u32();
        } else if (kind === 0x02) {
          const flags = sr.u32();
          sr.u32();
          if (flags & 1) sr.u32();
        } else if (kind === 0x03) {
          importedGlobals++;
          sr.byte();
          sr.byte();
        } else throw new RangeError(`unsupported import kind ${kind}`);
      }
    } else if (s.id === 6) definedGlobals = sr.u32();
  }
  const counter = importedGlobals + definedGlobals;
  const newGlobal = [0x7e, 0x01, 0x42, 0x00, 0x0b];
  const name = Array.from(new TextEncoder().encode(COUNTER_EXPORT));
  const newExport = [...uleb(name.length), ...name, 0x03, ...uleb(counter)];
  const out: number[] = Array.from(bytes.subarray(0, 8));
  // Section order: global (6) comes after memory (5) and tag (13), before export (7).
  const globalRank = (id: number): number => (id === 0 ? -1 : id === 13 ? 5.5 : id === 12 ? 9.5 : id);
  let globalDone = definedGlobals > 0;
  let exportDone = false;
  for (const s of sections) {
    const content = bytes.subarray(s.start, s.end);
    if (!globalDone && s.id !== 0 && globalRank(s.id) > 6) {
      out.push(...section(6, [1, ...newGlobal]));
      globalDone = true;
    }
    if (!exportDone && s.id !== 0 && globalRank(s.id) > 7) {
      out.push(...section(7, [1, ...newExport]));
      exportDone = true;
    }
    const sr = new Reader(bytes, s.start, s.end);
    if (s.id === 6) {
      const n = sr.u32();
      out.push(...section(6, [...uleb(n + 1), ...bytes.subarray(sr.pos, s.end), ...newGlobal]));
    } else if (s.id === 7) {
      const n = sr.u32();
      out.push(...section(7, [...uleb(n + 1), ...bytes.subarray(sr.pos, s.end), ...newExport]));
      exportDone = true;
    } else if (s.id === 10) {
      const n = sr.u32();
      const body: number[] = [...uleb(n)];
      for (let i = 0; i < n; i++) {
        const size = sr.u32();
        const fn = instrumentBody(bytes, sr.pos, sr.pos + size, counter);
        body.push(...uleb(fn.length), ...fn);
        sr.skip(size);
      }
      out.push(...section(10, body));
    } else out.push(s.id, ...uleb(content.length), ...content);
  }
  if (!globalDone) out.push(...section(6, [1, ...newGlobal]));
  if (!exportDone) out.push(...section(7, [1, ...newExport]));
  return Uint8Array.from(out);
}

/** The counter of a counted instance. */
export function counterOf(exports: WebAssembly.Exports): WebAssembly.Global {
  const g = exports[COUNTER_EXPORT];
  if (!(g instanceof WebAssembly.Global)) throw new TypeError(`not a counted instance: no ${COUNTER_EXPORT} export`);
  return g;
}

/** Instructions executed by `run` on a counted instance (its counter reset first). */
export function countInstructions(exports: WebAssembly.Exports, run: () => void): number {
  const g = counterOf(exports);
  g.value = 0n;
  run();
  return Number(g.value as bigint);
}
