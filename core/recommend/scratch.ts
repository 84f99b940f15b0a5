/**
 * Work arrays reused from one recommendation to the next on the same thread. A recommendation at
 * 25M ratings needs a per-user array (162k entries, 1.3 MB) and per-movie ones (62k, 0.5 MB each):
 * allocated afresh every time, they were a sixth of the CPU time in garbage collection. Only for
 * arrays that never leave the function that takes them (recommendations run to the end before the
 * next begins: no await in between). Module state is per worker thread, so threads never share one.
 */
const float64 = new Map<string, Float64Array>();
const uint32 = new Map<string, Uint32Array>();

/** A zeroed Float64Array of `length` for `purpose`, reused when the last one had that length. */
export function scratchFloat64(purpose: string, length: number): Float64Array {
  const kept = float64.get(purpose);
  if (kept && kept.length === length) return kept.fill(0);
  const fresh = new Float64Array(length);
  float64.set(purpose, fresh);
  return fresh;
}

/**
 * The array scratchFloat64 keeps for `purpose`, with whatever the last user left in it: for a
 * callee that zeroes or overwrites every entry itself (a second fill of a 62k-entry array is a
 * pass for nothing).
 */
export function reusedFloat64(purpose: string, length: number): Float64Array {
  const kept = float64.get(purpose);
  if (kept && kept.length === length) return kept;
  return scratchFloat64(purpose, length);
}

/**
 * A Uint32Array of `length` for `purpose`, all zero as long as every user zeroes it after use (a
 * full fill per call would cost more than the sparse work it serves).
 */
export function scratchUint32(purpose: string, length: number): Uint32Array {
  const kept = uint32.get(purpose);
  if (kept && kept.length === length) return kept;
  const fresh = new Uint32Array(length);
  uint32.set(purpose, fresh);
  return fresh;
}
