/**
 * Least-squares slope of `v` against time over rows [from, to) (NaN values skipped), per second; `t` in µs.
 * NaN when fewer than two finite values or no time spread. Times are taken relative to `t[origin]` so that
 * epoch microseconds lose no precision.
 */
export function localSlope(t: Float64Array, v: Float64Array, from: number, to: number, origin: number): number {
  const t0 = t[origin] ?? 0;
  let n = 0;
  let st = 0;
  let sv = 0;
  for (let j = from; j < to; j++) {
    const y = v[j] ?? NaN;
    if (Number.isNaN(y)) continue;
    n++;
    st += ((t[j] ?? 0) - t0) / 1e6;
    sv += y;
  }
  if (n < 2) return NaN;
  const tm = st / n;
  const vm = sv / n;
  let stt = 0;
  let stv = 0;
  for (let j = from; j < to; j++) {
    const y = v[j] ?? NaN;
    if (Number.isNaN(y)) continue;
    const dt = ((t[j] ?? 0) - t0) / 1e6 - tm;
    stt += dt * dt;
    stv += dt * (y - vm);
  }
  return stt > 0 ? stv / stt : NaN;
}

/** Mean of the finite values of `v` over rows [from, to); NaN when there are none. */
export function localMean(v: Float64Array, from: number, to: number): number {
  let n = 0;
  let s = 0;
  for (let j = from; j < to; j++) {
    const y = v[j] ?? NaN;
    if (Number.isNaN(y)) continue;
    n++;
    s += y;
  }
  return n > 0 ? s / n : NaN;
}
