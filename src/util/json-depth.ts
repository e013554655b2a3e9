/**
 * Nesting depth of JSON input, bounded before it is parsed. V8's JSON.parse
 * takes any depth, but everything after it that walks a value recursively
 * (zod, JSON.stringify in the reports) overflows the stack on a file nested
 * a few thousand deep: a stack trace instead of a refusal. No document of
 * this tool nests deeper than about a dozen levels.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Where `text` first opens more than `max` arrays or objects at once (a
 * character offset), or -1 when it never does. One pass, no recursion;
 * brackets inside strings do not count. Not a validator: JSON.parse still
 * judges the syntax.
 */
export function depthExceededAt(text: string, max: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** The one-line reason a text nests too deep, or null. */
export function depthProblem(text: string, max: number = MAX_JSON_DEPTH): string | null {
  const at = depthExceededAt(text, max);
  return at < 0 ? null : `nested more than ${max} levels deep (at position ${at})`;
}
