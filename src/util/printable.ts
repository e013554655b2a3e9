/**
 * Text from input files made safe for a terminal: C0 and C1 control
 * characters and DEL (escape sequences that could move the cursor, rewrite
 * lines or set the window title) become visible \xNN escapes. Newlines and
 * tabs stay unless `oneLine`.
 */
export function printable(text: string, oneLine = false): string {
  const re = oneLine ? /[\x00-\x1f\x7f-\x9f]/g : /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
  return text.replace(re, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
