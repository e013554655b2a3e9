/**
 * Shortening a table's key column (benchmark ids) without making it
 * ambiguous: cutting an id in its middle turned lookup/list-walk/wasm/n=1/…
 * and …/n=65536/… into the same `lookup/list-…dist=uniform`. Ids are
 * `/`-separated segments; shortening keeps what tells rows apart:
 *
 * 1. segments every id has alike at the same position are left out, a run
 *    of them shown as one "…" (`…/list-walk/wasm/n=1/…`);
 * 2. if that is not short enough, the longest segment positions are cut in
 *    their middle, each only as far as its values stay distinct from one
 *    another (`n=256` and `n=65536` never both become `n=…6`).
 *
 * Distinct ids stay distinct (checked; if not, the ids are kept whole).
 * When even the shortest unambiguous form is wider than asked, that form is
 * returned: the caller widens the column rather than lose the key.
 */

const SEP = "/";
const ELIDED = "…";
/** A cut segment keeps at least one character and the "…". */
const MIN_SEGMENT = 2;

const width = (s: string): number => [...s].length;

/** `text` cut to `max` characters with "…" in the middle. */
export function cutMiddle(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - (max - 1 - head)).join("")}`;
}

/** Whether cutting every value to `max` keeps them distinct. */
function injective(values: readonly string[], max: number): boolean {
  const seen = new Set<string>();
  for (const v of values) {
    const c = cutMiddle(v, max);
    if (seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

/** Each id of `ids` shortened towards `max` characters, distinct ids staying distinct (see above). */
export function shortenKeys(ids: readonly string[], max: number): string[] {
  if (ids.every((id) => width(id) <= max)) return [...ids];
  const distinct = [...new Set(ids)];
  if (distinct.length === 1) return ids.map((id) => cutMiddle(id, Math.max(max, 1)));
  const segments = distinct.map((id) => id.split(SEP));
  const positions = segments.reduce((n, s) => Math.max(n, s.length), 0);
  const values: string[][] = [];
  const constant: boolean[] = [];
  for (let p = 0; p < positions; p++) {
    const at = new Set<string>();
    let everyHas = true;
    for (const s of segments) {
      if (p < s.length) at.add(s[p]);
      else everyHas = false;
    }
    values.push([...at]);
    constant.push(everyHas && at.size === 1);
  }
  // Per position: its width now, and the narrowest at which it stays distinct (every width above too).
  const limit = values.map((v) => v.reduce((w, s) => Math.max(w, width(s)), 0));
  const floor = limit.map((w, p) => {
    let f = w;
    while (f > MIN_SEGMENT && injective(values[p], f - 1)) f--;
    return f;
  });
  const segWidths = segments.map((s) => s.map(width));
  // The fixed part of each id's width: the "…" of elided runs and the separators.
  const fixed = segments.map((s) => {
    let parts = 0;
    for (let p = 0; p < s.length; p++) if (!constant[p] || p === 0 || !constant[p - 1]) parts++;
    let elided = 0;
    for (let p = 0; p < s.length; p++) if (constant[p] && (p === 0 || !constant[p - 1])) elided++;
    return parts - 1 + elided * width(ELIDED);
  });
  const widest = (): number => {
    let most = 0;
    segWidths.forEach((ws, k) => {
      let w = fixed[k];
      for (let p = 0; p < ws.length; p++) if (!constant[p]) w += Math.min(ws[p], limit[p]);
      most = Math.max(most, w);
    });
    return most;
  };
  while (widest() > max) {
    let p = -1;
    for (let q = 0; q < positions; q++) if (!constant[q] && limit[q] > floor[q] && (p < 0 || limit[q] > limit[p])) p = q;
    if (p < 0) break;
    limit[p]--;
  }
  const short = new Map<string, string>();
  segments.forEach((s, k) => {
    const parts: string[] = [];
    s.forEach((seg, p) => {
      if (!constant[p]) parts.push(cutMiddle(seg, limit[p]));
      else if (p === 0 || !constant[p - 1]) parts.push(ELIDED);
    });
    short.set(distinct[k], parts.join(SEP));
  });
  if (new Set(short.values()).size !== distinct.length) return [...ids];
  return ids.map((id) => short.get(id) as string);
}
