// The suites `npm run bench` knows, in the order a default run takes them.
import type { Suite } from "../src/contract/suite.js";
import { criuRestoreSuite } from "./criu-restore.js";
import { geteventsSuite } from "./getevents.js";
import { lookupSuite } from "./lookup.js";
import { remapSuite } from "./remap.js";
import { ringSuite } from "./ring.js";
import { throughputSuite } from "./throughput.js";

export const SUITES: readonly Suite[] = [ringSuite, geteventsSuite, lookupSuite, remapSuite, criuRestoreSuite, throughputSuite];
