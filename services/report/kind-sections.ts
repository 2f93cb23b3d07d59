import type { EventKind } from '../ingest/schema/vocab.js';

/** System health (section 9): failures, faults, leaving the ODD and remote commands, in the order its table lists them. */
export const HEALTH_KINDS = [
  'ads_failure',
  'sensor_failure',
  'vehicle_failure',
  'recorder_fault',
  'odd_exit',
  'remote_command',
] as const satisfies readonly EventKind[];

/** Kinds with a section of their own (5, 6, 7, 9); every other incident kind, present or future, is safety-critical (8). */
const OWN_SECTION: ReadonlySet<string> = new Set<EventKind>([
  'disengagement',
  'collision',
  'traffic_violation',
  'speeding',
  ...HEALTH_KINDS,
]);

export const hasOwnSection = (kind: string): boolean => OWN_SECTION.has(kind);

/** The order the safety-critical events table lists its kinds in (kinds not named here follow, by name). */
export const SAFETY_ORDER = [
  'harsh_brake',
  'harsh_accel',
  'harsh_lateral',
  'harsh_jerk',
  'emergency_manoeuvre',
  'near_miss',
  'takeover_request',
  'mrm_started',
] as const satisfies readonly EventKind[];
