import { DEFAULT_THRESHOLDS, type DetectThresholds, type Tiers } from '../../vocabulary/thresholds.js';

/**
 * The thresholds event detection runs with: the defaults (`vocabulary/thresholds.ts`) with a caller's overrides
 * (`detectEvents(db, input, { thresholds })`), checked.
 */

/** Overrides: any field, and any single tier of a tier set. */
export type ThresholdOverrides = {
  readonly [K in keyof DetectThresholds]?: DetectThresholds[K] extends Tiers ? Partial<Tiers> : DetectThresholds[K];
};

/** Defaults with `overrides` applied, checked: every value finite and tiers in order. Throws on a bad value. */
export function resolveThresholds(overrides: ThresholdOverrides = {}): DetectThresholds {
  const given = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const o = given(overrides);
  const t: DetectThresholds = {
    ...DEFAULT_THRESHOLDS,
    ...(o as Partial<DetectThresholds>),
    harshBrake: { ...DEFAULT_THRESHOLDS.harshBrake, ...given(overrides.harshBrake) },
    speeding: { ...DEFAULT_THRESHOLDS.speeding, ...given(overrides.speeding) },
  };
  const numbers: [string, number][] = [
    ['harshBrake.low', t.harshBrake.low],
    ['harshBrake.medium', t.harshBrake.medium],
    ['harshBrake.high', t.harshBrake.high],
    ['harshAccel', t.harshAccel],
    ['harshLateral', t.harshLateral],
    ['harshJerk', t.harshJerk],
    ['speeding.low', t.speeding.low],
    ['speeding.medium', t.speeding.medium],
    ['speeding.high', t.speeding.high],
    ['sustainS', t.sustainS],
    ['jerkSustainS', t.jerkSustainS],
    ['speedingSustainS', t.speedingSustainS],
    ['maxSampleGapS', t.maxSampleGapS],
  ];
  if (t.defaultSpeedLimitMps !== null) numbers.push(['defaultSpeedLimitMps', t.defaultSpeedLimitMps]);
  for (const [name, value] of numbers) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new RangeError(`detection threshold ${name} must be a finite number, got ${String(value)}`);
  }
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`detection thresholds: ${what}`);
  };
  const b = t.harshBrake;
  check(
    b.low < 0 && b.medium <= b.low && b.high <= b.medium,
    `harshBrake tiers must be negative with high ≤ medium ≤ low, got ${b.low} / ${b.medium} / ${b.high}`,
  );
  const s = t.speeding;
  check(
    s.low >= 0 && s.medium >= s.low && s.high >= s.medium,
    `speeding tiers must be ≥ 0 with low ≤ medium ≤ high, got ${s.low} / ${s.medium} / ${s.high}`,
  );
  check(t.harshAccel > 0, `harshAccel must be positive, got ${t.harshAccel}`);
  check(t.harshLateral > 0, `harshLateral must be positive, got ${t.harshLateral}`);
  check(t.harshJerk < 0, `harshJerk must be negative, got ${t.harshJerk}`);
  check(t.sustainS >= 0 && t.jerkSustainS >= 0 && t.speedingSustainS >= 0, 'sustain times must be ≥ 0');
  check(t.maxSampleGapS > 0, `maxSampleGapS must be positive, got ${t.maxSampleGapS}`);
  check(
    t.defaultSpeedLimitMps === null || t.defaultSpeedLimitMps > 0,
    `defaultSpeedLimitMps must be positive, got ${String(t.defaultSpeedLimitMps)}`,
  );
  return t;
}
