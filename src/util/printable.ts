/**
 * Text from input files made safe for a terminal: C0 and C1 control
 * characters and DEL (escape sequences that could move the cursor, rewrite
 * lines or set the window title) become visible \xNN escapes, and so do the
 * Unicode line separators and bidirectional overrides (which reorder what
 * is shown) as \uNNNN. Newlines and tabs stay unless `oneLine`.
 */
export function printable(text: string, oneLine = false): string {
  const re = oneLine ? /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g : /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  return text.replace(re, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/** An error or warning line for standard error: the tool's prefix, then `message` on one line with control characters shown (messages quote paths and input files). */
export function errorLine(message: string): string {
  return `aio-ring-bench: ${printable(message, true)}`;
}
