import { poissonInterval } from '../core/stats/poisson.js';
import type { ReportThresholds } from './thresholds.js';

/** A rate of events per distance with its exact 95 % interval and whether it needs the small-exposure caveat. */
export interface RateInterval {
  count: number;
  km: number;
  /** Events per this many km. */
  per_km: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Fewer than `rateCaveat.minEvents` events, or less distance than `per_km`: the figure is not a stable rate. */
  small_exposure: boolean;
}

/**
 * Events per `perKm` km with the Garwood exact Poisson 95 % interval (events treated as a Poisson process in
 * distance). Without distance every figure is null.
 */
export function rateInterval(count: number, km: number, perKm: number, t: ReportThresholds): RateInterval {
  if (!(km > 0)) return { count, km, per_km: perKm, value: null, lower: null, upper: null, small_exposure: true };
  const ci = poissonInterval(count, 0.95);
  const scale = perKm / km;
  return {
    count,
    km,
    per_km: perKm,
    value: count * scale,
    lower: ci.lower * scale,
    upper: ci.upper * scale,
    small_exposure: count < t.rateCaveat.minEvents || km < perKm,
  };
}
