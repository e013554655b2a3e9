// The core's error codes live in abi/errno.ts with the rest of the ABI.
export * from "./abi/errno";
