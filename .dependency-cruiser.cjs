// Layering checks (npm run deps:check, in CI): no import cycles between
// modules or between folders. Contracts sit at the bottom (src/contract/,
// assembly/abi/), so every folder imports downward; the statistics
// (src/stats/) sit below the harness (src/bench/) that uses them.
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      comment: "Folders import each other in one direction only: move the shared contract down instead.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "contracts-at-the-bottom",
      comment:
        "src/contract/ (what the layers exchange: scenarios, backends, suites, run and comparison documents) imports only itself and assembly/abi/, so every layer can read it without importing another.",
      severity: "error",
      from: { path: "^src/contract/" },
      to: { path: "^(src|bench|assembly)/", pathNot: "^(src/contract|assembly/abi)/" },
    },
    {
      name: "statistics-stay-pure",
      comment:
        "src/stats/ (the regression statistics) works on plain numbers: it may use src/util/ and src/contract/, never the harness (src/bench/), the reports or the backends, so it can be tested and reused on its own.",
      severity: "error",
      from: { path: "^src/stats/" },
      to: { path: "^(src|bench|assembly)/", pathNot: "^src/(stats|util|contract)/" },
    },
    {
      name: "entries-stay-on-top",
      comment: "The CLI and the library entry import everything; nothing imports them (so they can be in no cycle).",
      severity: "error",
      from: {},
      to: { path: "^src/(cli|index)\\.ts$" },
    },
    {
      name: "no-module-cycles",
      comment: "A cycle closed only by a type-only import is no load-order hazard: it is left to the folder rule.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // The two entries are checked by entries-stay-on-top; left out of the
    // folder graph, where they would make src/ look like it sits above
    // everything it also sits below.
    exclude: { path: "^(dist|build|node_modules)/|^src/(cli|index)\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: false,
  },
};
