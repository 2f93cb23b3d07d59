import type { EventKind, Initiator, Severity } from '../services/ingest/schema/vocab.js';
import { RECORDER_KINDS, type MotionKind } from '../services/vocabulary/event-kinds.js';
import { DRIVEN_MODES, MODE_CODES, type DrivenMode } from '../services/vocabulary/modes.js';
import type { InjuryLevel, Tier } from '../services/vocabulary/severities.js';
import { DEFAULT_THRESHOLDS } from '../services/vocabulary/thresholds.js';

/** The generator's names for the shared vocabulary (`services/vocabulary`), declared there once. */
export type { EventKind, Initiator, InjuryLevel, Severity, Tier };
/** Modes a simulated vehicle can be in (`unknown` is for logs that do not say). */
export type DriveMode = DrivenMode;
export const DRIVE_MODES = DRIVEN_MODES;
export const MODE_CODE: Readonly<Record<DriveMode, number>> = MODE_CODES;

/** Kinds the vehicle writes to its event log. */
export const LOGGED_KINDS = RECORDER_KINDS;
/** Kinds that exist only in telemetry, injected as motion episodes for detection to find (no jerk episodes). */
export const INJECTED_MOTION_KINDS = [
  'harsh_brake',
  'harsh_accel',
  'harsh_lateral',
  'speeding',
] as const satisfies readonly MotionKind[];
export type SeedEventKind = (typeof LOGGED_KINDS)[number] | (typeof INJECTED_MOTION_KINDS)[number];

/** The detection thresholds the injected episodes are built against, in the manifest's shape. */
export const THRESHOLDS = {
  harshBrakeTiers: DEFAULT_THRESHOLDS.harshBrake,
  harshAccel: DEFAULT_THRESHOLDS.harshAccel,
  harshLateral: DEFAULT_THRESHOLDS.harshLateral,
  /** Speeding tiers: fraction above the posted limit. */
  speedingTiers: DEFAULT_THRESHOLDS.speeding,
  /** Debounce: a braking/accel/lateral episode must last this long, s. */
  sustainS: DEFAULT_THRESHOLDS.sustainS,
  /** Speeding must last this long, s. */
  speedingSustainS: DEFAULT_THRESHOLDS.speedingSustainS,
} as const;

/** One event of a simulated drive, by sample index. */
export interface SimEvent {
  kind: SeedEventKind;
  k: number;
  kEnd: number | null;
  severity: Severity | null;
  initiator: Initiator | null;
  cause: string | null;
  /** Written to the event log by the vehicle. */
  logged: boolean;
  peak: number | null;
  speedLimit: number | null;
  /** The event this one belongs to, e.g. the collision a braking episode is part of. */
  related: SimEvent | null;
  /** For telemetry-only episodes: sample window to measure in, and what was aimed at. */
  window: { k0: number; k1: number; tier: Tier | null } | null;
  sustainedS: number | null;
}
