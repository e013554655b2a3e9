// Step builders and profile lists the semantics tests share.
import { AIO_RING_MAGIC } from "../../assembly/abi/ring.js";
import type { ProfileName, Step, StepResult } from "../../src/contract/scenario.js";

export const MAGIC = AIO_RING_MAGIC;
export const TABLE_PROFILES: ProfileName[] = ["v3.18", "v3.19", "mainline", "next"];
export const HOOK_PROFILES: ProfileName[] = ["v3.19", "mainline", "next"];

export const setup = (nr_events: number, name = "A"): Step => ({ op: "io_setup", nr_events, name });
export const submit = (ctx: string, count: number, data = 1): Step => ({ op: "io_submit", ctx, count, cmd: "pread", data });
export const ring = (ctx: string): Step => ({ op: "ring", ctx });
export const page = (addr: string): Step => ({ op: "page", addr });
export const errnos = (rs: StepResult[]) => rs.map((r) => r.errno ?? null);
export const last = (rs: StepResult[]) => rs[rs.length - 1];
