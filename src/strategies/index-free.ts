/**
 * Base of the strategies that keep no index of their own (the kernel's
 * table-header-id and remap-scan, and header-id): they read kernel state
 * only, so building, creates, destroys and moves cost them nothing.
 */
export abstract class IndexFree {
  build(): void {}
  insert(): void {}
  remove(): void {}
  move(): void {}
}
