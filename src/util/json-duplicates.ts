/**
 * JSON.parse keeps the last of two equal keys in an object, silently: in a
 * hand-written file (a scenario) `{"nr_events": 1, "nr_events": 128}` is a
 * mistake whichever value was meant. This finds the first repeated key.
 */

export interface DuplicateKey {
  /** Keys and indexes from the top down to the object holding the key twice. */
  path: (string | number)[];
  key: string;
}

type Frame = { kind: "object"; keys: Set<string>; key: string | null; expectKey: boolean } | { kind: "array"; index: number };

/**
 * The first key given twice in one object of `text`, which must be valid
 * JSON (call it after JSON.parse succeeded); null when there is none. One
 * pass with an explicit stack: no recursion, whatever the nesting.
 */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (top?.kind === "object" && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return { path: stack.slice(0, -1).map((f) => (f.kind === "object" ? f.key! : f.index)), key };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (c === "{") stack.push({ kind: "object", keys: new Set(), key: null, expectKey: true });
    else if (c === "[") stack.push({ kind: "array", index: 0 });
    else if (c === "}" || c === "]") stack.pop();
    else if (c === ",") {
      if (top?.kind === "array") top.index++;
      else if (top?.kind === "object") top.expectKey = true;
    }
  }
  return null;
}
