// The flag-value parsers every command shares: what each accepts, and the one
// error style for what it refuses (`--flag: expected ..., got "..."`, a
// UserError, so exit 2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { choiceFlag, intFlag, intListFlag, pathFlag, percentFlag } from "../src/commands/flag-values.js";
import { UserError } from "../src/contract/errors.js";

const refused = (message: string) => (e: unknown) => e instanceof UserError && e.message === message;

describe("flag values", () => {
  it("intFlag: plain, grouped and scaled integers in range; the fallback when absent", () => {
    assert.equal(intFlag("n", undefined, 7, 1, 10), 7);
    assert.equal(intFlag("n", "10", 7, 1, 10), 10);
    assert.equal(intFlag("n", "1_000", 7, 1, 1e9), 1000);
    assert.equal(intFlag("n", "5M", 7, 1, 1e9), 5e6);
    assert.equal(intFlag("n", "1.5k", 7, 1, 1e9), 1500);
    assert.equal(intFlag("n", "1e8", 7, 1, 1e9), 1e8);
    for (const bad of ["0", "11", "-1", "1.5", "x", "", "0x10", "1e"]) {
      assert.throws(() => intFlag("n", bad, 7, 1, 10), refused(`--n: expected an integer from 1 to 10, got ${JSON.stringify(bad)}`));
    }
  });

  it("intListFlag: each value once in the order given; names the bad item", () => {
    assert.equal(intListFlag("sizes", undefined, 1, 100), null);
    assert.deepEqual(intListFlag("sizes", "16, 1,16,4", 1, 100), [16, 1, 4]);
    assert.throws(() => intListFlag("sizes", "1,0", 1, 100), refused('--sizes: expected integers from 1 to 100, separated by commas, got "0"'));
    assert.throws(() => intListFlag("sizes", "1,,2", 1, 100), refused('--sizes: expected integers from 1 to 100, separated by commas, got ""'));
  });

  it("percentFlag: strictly between 0 and 100, as a fraction", () => {
    assert.equal(percentFlag("threshold", undefined), undefined);
    assert.equal(percentFlag("threshold", "2.5"), 0.025);
    for (const bad of ["0", "100", "-5", "abc", " "]) {
      assert.throws(
        () => percentFlag("threshold", bad),
        refused(`--threshold: expected a percentage between 0 and 100 (exclusive), got ${JSON.stringify(bad)}`),
      );
    }
  });

  it("choiceFlag and pathFlag", () => {
    assert.equal(choiceFlag("gate", undefined, ["all", "exact", "time"], "all"), "all");
    assert.equal(choiceFlag("gate", "time", ["all", "exact", "time"], "all"), "time");
    assert.equal(choiceFlag("inject", undefined, ["throw", "exit"], undefined), undefined);
    assert.throws(() => choiceFlag("gate", "some", ["all", "exact", "time"], "all"), refused('--gate: expected all, exact or time, got "some"'));
    assert.equal(pathFlag("json", undefined), undefined);
    assert.equal(pathFlag("json", "out.json"), "out.json");
    assert.throws(() => pathFlag("json", " "), refused("--json: empty file name"));
  });
});
