import { describe, expect, it } from 'vitest';
import { gammaP, poissonInterval, rateInterval } from '../../services/core/stats/poisson.js';

describe('exact Poisson intervals', () => {
  it('match the published Garwood 95 % limits', () => {
    // k → [lower, upper]: chi2.ppf(α/2, 2k)/2 and chi2.ppf(1 − α/2, 2k + 2)/2 (scipy)
    const table: [number, number, number][] = [
      [0, 0, 3.6889],
      [1, 0.0253, 5.5716],
      [2, 0.2422, 7.2247],
      [5, 1.6235, 11.6683],
      [10, 4.7954, 18.3904],
      [100, 81.364, 121.6268],
    ];
    for (const [k, lo, hi] of table) {
      const ci = poissonInterval(k, 0.95);
      expect(ci.lower, `lower of ${k}`).toBeCloseTo(lo, 3);
      expect(ci.upper, `upper of ${k}`).toBeCloseTo(hi, 3);
    }
  });

  it('P(a, x) is the regularised gamma: P(1, x) = 1 − e^−x', () => {
    for (const x of [0.1, 1, 3, 20]) expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 12);
  });

  it('scales a count to a rate per exposure, and has none without exposure', () => {
    const r = rateInterval(10, 2000, 1000, 0.95);
    expect(r.lower).toBeCloseTo(4.7954 / 2, 3);
    expect(r.upper).toBeCloseTo(18.3904 / 2, 3);
    expect(rateInterval(3, 0, 1000, 0.95)).toEqual({ lower: null, upper: null });
  });

  it('widens with the confidence level and refuses a count that is no count', () => {
    const ci99 = poissonInterval(5, 0.99);
    const ci95 = poissonInterval(5, 0.95);
    expect(ci99.lower).toBeLessThan(ci95.lower);
    expect(ci99.upper).toBeGreaterThan(ci95.upper);
    expect(() => poissonInterval(1.5, 0.95)).toThrow(/integer ≥ 0, got 1.5/u);
    expect(() => poissonInterval(-1, 0.95)).toThrow(RangeError);
    expect(() => poissonInterval(1, 95)).toThrow(RangeError);
  });
});
