/**
 * The default thresholds of the safety metrics, each with its source; every one is a default a user can override
 * (detection: `resolveThresholds` in `ingest/detect/thresholds.ts`; reports: `report/thresholds.ts`). The demo
 * generator injects its episodes against the same numbers. "Domain brief" is `../shared/docs/domain.md`, section
 * "Safety metrics".
 */

/** Speeding: speed above the posted limit by more than this fraction (domain brief: the lowest tier, > 10 %). */
export const SPEEDING_MARGIN = 0.1;

/**
 * The event record around an incident, s: Shenzhen's ICV regulation (2022) requires at least 90 s before an
 * accident or fault; China's 2022 transport draft 90 s before to 30 s after.
 */
export const EVENT_WINDOW = { beforeS: 90, afterS: 30 } as const;

/** A record is complete when samples reach both ends within `edgeS` and no gap inside is longer than `maxGapS`, s. */
export const WINDOW_TOLERANCE = { edgeS: 1, maxGapS: 2 } as const;

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
  // Domain brief, jerk: da/dt after low-pass filtering ≤ −10 m/s³, our proposal. The pipeline low-passes the
  // fitted acceleration with τ = 0.5 s (services/ingest/options.ts LIMITS.jerkFilterTauS, docs/derivations.md)
  // before differentiating.
  harshJerk: -10,
  // Domain brief, speeding: tiers > 10 % / 20 % / 50 % over the posted limit. Like braking, an episode's tier is
  // the highest one held for speedingSustainS (the demo manifest's convention); its detail has the peak excess.
  speeding: { low: SPEEDING_MARGIN, medium: 0.2, high: 0.5 },
  // Domain brief, harsh braking: "sustained ≥ 0.3 s (debounce)"; applied to acceleration and lateral alike.
  sustainS: 0.3,
  // Our choice: the jerk signal is already low-passed (τ = 0.5 s), which is its debounce; one sample suffices.
  jerkSustainS: 0,
  // Our proposal (the brief gives no duration).
  speedingSustainS: 3,
  // Without a road network there is no posted limit; a user may configure one (e.g. 60 km/h urban default).
  defaultSpeedLimitMps: null,
  // Brief for this module: a gap over 1 s (GNSS dropout) breaks an episode; at 1 Hz (GB/T 32960) samples 1 s
  // apart still count as consecutive.
  maxSampleGapS: 1,
} as const satisfies DetectThresholds;
