import type { EventKind, Initiator, Mode, Severity } from '../services/ingest/schema/vocab.js';

export type { EventKind, Initiator, Severity };
/** Modes a simulated vehicle can be in (`unknown` is for logs that do not say). */
export type DriveMode = Exclude<Mode, 'unknown'>;
export const DRIVE_MODES = ['autonomous', 'manual', 'remote'] as const satisfies readonly DriveMode[];
export const MODE_CODE: Readonly<Record<DriveMode, number>> = { autonomous: 0, manual: 1, remote: 2 };

/** Kinds the vehicle writes to its event log. */
export const LOGGED_KINDS = [
  'ads_activated',
  'ads_deactivated',
  'disengagement',
  'takeover_request',
  'mrm_started',
  'mrm_ended',
  'ads_failure',
  'vehicle_failure',
  'sensor_failure',
  'recorder_fault',
  'collision',
  'emergency_manoeuvre',
  'odd_exit',
  'remote_command',
] as const satisfies readonly EventKind[];
/** Kinds that exist only in telemetry and must be detected. */
export const DETECTED_KINDS = [
  'harsh_brake',
  'harsh_accel',
  'harsh_lateral',
  'speeding',
] as const satisfies readonly EventKind[];
export type SeedEventKind = (typeof LOGGED_KINDS)[number] | (typeof DETECTED_KINDS)[number];

/** Detection thresholds the injected episodes are built against (docs: domain brief, safety metrics). */
export const THRESHOLDS = {
  harshBrakeTiers: { low: -3, medium: -4, high: -6 },
  harshAccel: 3,
  harshLateral: 3.5,
  /** Speeding tiers: fraction above the posted limit. */
  speedingTiers: { low: 0.1, medium: 0.2, high: 0.5 },
  /** Debounce: a braking/accel/lateral episode must last this long, s. */
  sustainS: 0.3,
  /** Speeding must last this long, s. */
  speedingSustainS: 3,
} as const;

export type Tier = 'low' | 'medium' | 'high';
export type InjuryLevel = Extract<Severity, 'none' | 'minor' | 'moderate' | 'serious' | 'fatal'>;

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
