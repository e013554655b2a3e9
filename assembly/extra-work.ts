// Extra work per operation for bench:selfcheck's slowed builds: real code
// that both the clock and the instruction counts see. A slowed build is
// compiled with `--use AIO_EXTRA_WORK=K` (K steps of a dependent
// multiply-add chain per operation); every other build leaves the constant
// undefined, the branch below is not compiled, and the function is the
// identity, so a normal build is byte for byte what it was without it.

// @ts-ignore: decorator
@inline export function extraWork(x: u32): u32 {
  if (isDefined(AIO_EXTRA_WORK)) {
    // @ts-ignore: defined by --use in slowed builds only
    for (let i: i32 = 0; i < AIO_EXTRA_WORK; i++) x = x * 0x9e3779b1 + <u32>i;
  }
  return x;
}

/** extraWork of `n` operations, chained through x (a loop of n in slowed builds only). */
// @ts-ignore: decorator
@inline export function extraWorkEach(x: u32, n: i32): u32 {
  if (isDefined(AIO_EXTRA_WORK)) {
    for (let i = 0; i < n; i++) x = extraWork(x);
  }
  return x;
}
