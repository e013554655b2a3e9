// Faults the shared ring's reapers detect (assembly/shared-ring/error.ts
// records the first; src/pool/shared-ring.ts names it for the host).

/** A producer's event came again or out of order (got < expected). */
export const E_DUPLICATE = 1;
/** Events of a producer were skipped (got > expected). */
export const E_LOST = 2;
/** The producer id in the user data names no producer. */
export const E_BAD_PRODUCER = 3;
/** obj is not ~data: the event was read while (or before) it was written. */
export const E_TORN = 4;
/** The ring header's magic or incompat_features is wrong (libaio refuses such a ring). */
export const E_BAD_HEADER = 5;
