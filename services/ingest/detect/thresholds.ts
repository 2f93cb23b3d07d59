import type { EventKind } from '../schema/vocab.js';

/**
 * What event detection looks for in telemetry, and the default thresholds. Every number is a default a user can
 * override (`detectEvents(db, input, { thresholds })`). "Domain brief" is `../shared/docs/domain.md`, section
 * "Safety metrics"; `seeds/vocab.ts` THRESHOLDS (what the demo fleet injects against) holds the same numbers.
 */

/** Kinds detected from telemetry, all `origin = 'detected'`. */
export const DETECTED_KINDS = [
  'harsh_brake',
  'harsh_accel',
  'harsh_lateral',
  'harsh_jerk',
  'speeding',
  /** A mode change autonomous → manual or remote within a drive. */
  'disengagement',
  /** A mode change manual or remote → autonomous within a drive. */
  'ads_activated',
] as const satisfies readonly EventKind[];
export type DetectedKind = (typeof DETECTED_KINDS)[number];

/** Severity tiers; an episode gets the deepest tier whose threshold held for the kind's sustain time. */
export interface Tiers {
  readonly low: number;
  readonly medium: number;
  readonly high: number;
}

export interface DetectThresholds {
  /** Longitudinal acceleration at or below each tier, m/s² (negative; low ≥ medium ≥ high). */
  readonly harshBrake: Tiers;
  /** Longitudinal acceleration at or above, m/s². */
  readonly harshAccel: number;
  /** |lateral acceleration| at or above, m/s². */
  readonly harshLateral: number;
  /** Jerk of the low-passed longitudinal acceleration (`jerk_mps3`) at or below, m/s³ (negative). */
  readonly harshJerk: number;
  /** Speed above the limit × (1 + tier), as a fraction over the limit (0 ≤ low ≤ medium ≤ high). */
  readonly speeding: Tiers;
  /** Debounce of harsh braking, acceleration and lateral: first to last sample beyond the threshold, s. */
  readonly sustainS: number;
  /** Debounce of harsh jerk, s. */
  readonly jerkSustainS: number;
  /** Speeding must last this long, first to last sample over the limit × (1 + low), s. */
  readonly speedingSustainS: number;
  /** Limit used where `speed_limit_mps` is null (no road matched), m/s; null: no speeding without a known limit. */
  readonly defaultSpeedLimitMps: number | null;
  /** Two samples further apart than this are not consecutive: an episode breaks at such a gap (dropout), s. */
  readonly maxSampleGapS: number;
}

export const DEFAULT_THRESHOLDS = {
  // Domain brief, harsh braking: tiers −3 / −4 / −6 m/s², our proposal (literature 2.5–5.9 m/s²; UN R157 caps
  // minimal-risk braking at 4 m/s²).
  harshBrake: { low: -3, medium: -4, high: -6 },
  // Domain brief, harsh acceleration: a ≥ +3 m/s², telematics convention.
  harshAccel: 3,
  // Domain brief, harsh lateral: |a_lat| ≥ 3.5 m/s², telematics convention.
  harshLateral: 3.5,
  // Domain brief, jerk: da/dt after low-pass filtering ≤ −10 m/s³, our proposal. The pipeline low-passes with
  // τ = 0.5 s (services/ingest/options.ts LIMITS.jerkFilterTauS) before differentiating.
  harshJerk: -10,
  // Domain brief, speeding: tiers > 10 % / 20 % / 50 % over the posted limit. Like braking, an episode's tier is
  // the highest one held for speedingSustainS (the demo manifest's convention); its detail has the peak excess.
  speeding: { low: 0.1, medium: 0.2, high: 0.5 },
  // Domain brief, harsh braking: "sustained ≥ 0.3 s (debounce)"; applied to acceleration and lateral alike.
  sustainS: 0.3,
  // Our choice: the jerk signal is already low-passed (τ = 0.5 s), which is its debounce; one sample suffices.
  jerkSustainS: 0,
  // Our proposal (the brief gives no duration); the demo generator's speedingSustainS (seeds/vocab.ts) is the same.
  speedingSustainS: 3,
  // Without a road network there is no posted limit; a user may configure one (e.g. 60 km/h urban default).
  defaultSpeedLimitMps: null,
  // Brief for this module: a gap over 1 s (GNSS dropout) breaks an episode; at 1 Hz (GB/T 32960) samples 1 s
  // apart still count as consecutive.
  maxSampleGapS: 1,
} as const satisfies DetectThresholds;

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
