/**
 * Exact (Garwood 1936) confidence interval of a Poisson mean from an observed count: the lower bound is
 * χ²(α/2; 2k) / 2, the upper χ²(1 − α/2; 2k + 2) / 2, i.e. the gamma quantiles below. Exact means the interval
 * covers the true mean at least 1 − α of the time for every mean (conservative for small counts).
 */
export interface PoissonInterval {
  lower: number;
  upper: number;
}

/** Regularised lower incomplete gamma P(a, x) (series below a + 1, Lentz continued fraction above). */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPre = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return sum * Math.exp(lnPre);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return 1 - Math.exp(lnPre) * h;
}

/** ln Γ(x), Lanczos (g = 7, n = 9), |error| < 1e-13 for x > 0. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = c[0] ?? 0;
  for (let i = 1; i < c.length; i++) s += (c[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The p-quantile of Gamma(shape a, scale 1), by bisection on P(a, x) (monotone; 200 halvings reach double precision). */
function gammaQuantile(a: number, p: number): number {
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

/** The exact 1 − alpha interval of the mean count behind an observed count `k` (an integer ≥ 0). */
export function poissonInterval(k: number, alpha = 0.05): PoissonInterval {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`a Poisson count must be an integer ≥ 0, got ${k}`);
  return {
    lower: k === 0 ? 0 : gammaQuantile(k, alpha / 2),
    upper: gammaQuantile(k + 1, 1 - alpha / 2),
  };
}
