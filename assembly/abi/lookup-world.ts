// The geometry of the compact lookup world, the same in its TS twin
// (src/strategies/context-set.ts) and its WASM one (assembly/lookup/).

export const PAGE = 4096;
/** Top of the model's mapping area; rings are placed top-down below it. */
export const CEILING = 0x7f0000000000;
/** aio_max_nr default: every context holds at least one request, so at most this many live. */
export const MAX_CTX = 65536;
/** Ring-sized address slots (one page each): twice MAX_CTX so any ring can always move. */
export const ADDR_SLOTS = 2 * MAX_CTX;
/** Ring file identities; freed ones are reused oldest-first, after all fresh ones. */
export const FILE_CAP = 2 * MAX_CTX;
/** Longest target stream one batch call takes. */
export const MAX_BATCH = 1 << 18;
/** Event slots of a one-page ring: (4096 - 32) / 32. */
export const ONE_PAGE_RING_SLOTS = 127;
