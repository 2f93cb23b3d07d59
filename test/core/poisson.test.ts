import { describe, expect, it } from 'vitest';
import { poissonInterval } from '../../services/core/poisson.js';

describe('Garwood exact Poisson interval', () => {
  // Published values (e.g. Ulm 1990, Table 1; χ² quantiles / 2).
  it.each([
    [0, 0, 3.6889],
    [1, 0.0253, 5.5716],
    [2, 0.2422, 7.2247],
    [10, 4.7954, 18.3904],
    [100, 81.364, 121.6268],
  ])('k = %i → %f … %f', (k, lower, upper) => {
    const ci = poissonInterval(k);
    expect(ci.lower).toBeCloseTo(lower, 3);
    expect(ci.upper).toBeCloseTo(upper, 3);
  });

  it('widens with the confidence level and refuses a count that is no count', () => {
    const ci99 = poissonInterval(5, 0.01);
    const ci95 = poissonInterval(5);
    expect(ci99.lower).toBeLessThan(ci95.lower);
    expect(ci99.upper).toBeGreaterThan(ci95.upper);
    expect(() => poissonInterval(1.5)).toThrow(/integer ≥ 0, got 1.5/u);
    expect(() => poissonInterval(-1)).toThrow(RangeError);
  });
});
