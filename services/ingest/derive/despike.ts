/**
 * Isolated-glitch test for one sample between two neighbours of the same segment: the sample leaves the line
 * through its neighbours by more than `threshold` and both neighbours lie on the same side of it, closer to each
 * other than to it (a single-sample excursion that returns, like CAN speed 15.07 → 15.64 → 15.07 m/s). Returns
 * the value interpolated from the neighbours when it is a glitch, else `v`. Times in µs.
 */
export function despiked(
  tPrev: number,
  vPrev: number,
  t: number,
  v: number,
  tNext: number,
  vNext: number,
  threshold: number,
): number {
  if (Number.isNaN(v) || Number.isNaN(vPrev) || Number.isNaN(vNext) || tNext <= tPrev) return v;
  const line = vPrev + ((vNext - vPrev) * (t - tPrev)) / (tNext - tPrev);
  const off = v - line;
  if (Math.abs(off) <= threshold) return v;
  const up = v - vPrev;
  const down = v - vNext;
  if (up * down <= 0) return v;
  return Math.abs(vNext - vPrev) < Math.abs(off) ? line : v;
}
