// Where a scenario's control blocks live, shared by the models and the probe
// (probe/probe.h IOCB_ADDR and sizeof(struct iocb), checked by
// test/kernel-fuzz.test.ts). The kernel writes each event's `obj` field from
// the control block's user address, so a `ring` read of an event page shows
// it: with the blocks at a fixed address it is the same on every backend.
// Plain `export const` so the file is valid AssemblyScript and TypeScript.

/** User address of control block 0 of an io_submit call; block k is at IOCB_ADDR + k * IOCB_SIZE. */
export const IOCB_ADDR = 0x2000_0000_0000;
/** sizeof(struct iocb) */
export const IOCB_SIZE = 64;
