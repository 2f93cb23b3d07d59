/** ln Γ(x), Lanczos (g = 7, n = 9): ~15 significant digits for x > 0. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x): series below a + 1, Lentz's continued fraction above. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * Math.exp(front);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - Math.exp(front) * f;
}

/** The x with P(a, x) = p (the Gamma(a, 1) quantile), by bisection to 1e-12 relative. */
export function gammaQuantile(p: number, a: number): number {
  let lo = 0;
  let hi = Math.max(1, a);
  while (gammaP(a, hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(a, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The exact (Garwood) two-sided confidence interval for the mean of a Poisson count `k` at `level` (e.g. 0.95):
 * lower = Gamma(k, 1) quantile at α/2 (0 when k = 0), upper = Gamma(k + 1, 1) quantile at 1 − α/2.
 */
export function poissonInterval(k: number, level: number): { lower: number; upper: number } {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`a Poisson count is an integer ≥ 0, got ${k}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`a confidence level lies between 0 and 1, got ${level}`);
  const alpha = 1 - level;
  return {
    lower: k === 0 ? 0 : gammaQuantile(alpha / 2, k),
    upper: gammaQuantile(1 - alpha / 2, k + 1),
  };
}

/** A rate's interval: the count's interval scaled by `scale / exposure` (null without exposure). */
export function rateInterval(
  k: number,
  exposure: number,
  scale: number,
  level: number,
): { lower: number; upper: number } | { lower: null; upper: null } {
  if (!(exposure > 0)) return { lower: null, upper: null };
  const { lower, upper } = poissonInterval(k, level);
  return { lower: (lower / exposure) * scale, upper: (upper / exposure) * scale };
}
