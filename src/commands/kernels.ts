// `aio-ring-bench kernels [--json]` and `aio-ring-bench kernels fetch NAME...`
import { UserError } from "../contract/errors.js";
import { fetchKernel, kernelsDir, listKernels } from "../kernel/guest-kernels.js";
import { type CommandSpec, parseCommand } from "./args.js";

export const spec: CommandSpec = {
  name: "kernels",
  usage: "aio-ring-bench kernels [fetch NAME...] [--json]",
  description: `Guest kernels, which the scenario and fuzz commands run under QEMU (their kernel option):
without arguments, whether guests can run here (QEMU, a static busybox, the
static probe), the kernels already fetched into the state folder and the
newest package of each series Debian offers here. "fetch NAME" (a series such
as 6.1 or 6.12, or a package linux-image-...) downloads the package with
apt-get, checks that it extracts, holds a vmlinuz and boots the probe, and
keeps it; the first use of a kernel name does the same. Kernels run under
QEMU's software emulation (TCG): their answers are real, their timings are not.`,
  flags: [{ name: "json", type: "boolean", help: "print the listing as JSON" }],
  exitCodes: "0 ok, 2 bad input, unknown kernel, failed download or a kernel that does not boot",
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const [verb, ...names] = parsed.positionals;
  if (verb === "fetch") {
    if (names.length === 0) throw new UserError("kernels fetch: give a kernel name (6.1, 6.12, or a package linux-image-...)");
    for (const name of names) {
      const k = await fetchKernel(name);
      console.log(`kernels: ${name}: ${k.package} ${k.version} (release ${k.release}) in ${kernelsDir()}`);
    }
    return 0;
  }
  if (verb !== undefined) throw new UserError(`kernels: unknown argument "${verb}" (use fetch, or nothing to list)`);
  const list = listKernels();
  if (parsed.values.json) {
    console.log(JSON.stringify(list, null, 2));
    return 0;
  }
  const a = list.availability;
  console.log(a.available ? "guest kernels: available (QEMU TCG)" : `guest kernels: unavailable: ${a.reason}`);
  console.log(`fetched (${kernelsDir()}):`);
  if (list.fetched.length === 0) console.log("  none");
  for (const k of list.fetched) console.log(`  ${k.package}  ${k.version}  release ${k.release}  fetched ${k.fetched.slice(0, 10)}`);
  console.log("offered by this machine's apt lists (newest per series):");
  if (list.offered.length === 0) console.log("  none (no apt, or no linux-image-6.1/6.12 cloud packages in its lists)");
  for (const o of list.offered) console.log(`  ${o.series.padEnd(5)} ${o.package}${o.fetched ? "  (fetched)" : ""}`);
  return 0;
}
