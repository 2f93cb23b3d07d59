import { EVENT_KINDS, type EventKind } from '../ingest/schema/vocab.js';

/**
 * What an event kind is, declared once per kind (a `Record` over `EventKind`, so a kind added to `EVENT_KINDS`
 * without a group, or a group entry for no kind, fails to compile). The map colours incidents by group and its
 * legend names the groups; `bookkeeping` kinds are ADS state changes, not incidents.
 */
export const KIND_GROUPS = ['collision', 'takeover', 'system_fault', 'harsh_driving', 'bookkeeping'] as const;
export type KindGroup = (typeof KIND_GROUPS)[number];

export const KIND_GROUP = {
  ads_activated: 'bookkeeping',
  ads_deactivated: 'bookkeeping',
  disengagement: 'takeover',
  takeover_request: 'takeover',
  mrm_started: 'takeover',
  mrm_ended: 'bookkeeping',
  ads_failure: 'system_fault',
  vehicle_failure: 'system_fault',
  sensor_failure: 'system_fault',
  recorder_fault: 'system_fault',
  collision: 'collision',
  emergency_manoeuvre: 'collision',
  odd_exit: 'takeover',
  remote_command: 'takeover',
  traffic_violation: 'harsh_driving',
  harsh_brake: 'harsh_driving',
  harsh_accel: 'harsh_driving',
  harsh_lateral: 'harsh_driving',
  harsh_jerk: 'harsh_driving',
  speeding: 'harsh_driving',
  near_miss: 'collision',
} as const satisfies Record<EventKind, KindGroup>;

/** The group of a stored kind (undefined for a value that is no kind). */
export const groupOf = (kind: string): KindGroup | undefined =>
  (KIND_GROUP as Readonly<Record<string, KindGroup>>)[kind];

/** The kinds of a group, in `EVENT_KINDS` order. */
export function kindsOf(group: KindGroup): EventKind[] {
  return EVENT_KINDS.filter((k) => KIND_GROUP[k] === group);
}

/** ADS state changes kept for the timeline but not incidents: metrics, incident search and the map leave them out. */
export const BOOKKEEPING_KINDS: readonly EventKind[] = kindsOf('bookkeeping');

/** Whether a stored kind is an incident (every kind but the bookkeeping ones). */
export const isIncident = (kind: string): boolean => !(BOOKKEEPING_KINDS as readonly string[]).includes(kind);

/** Kinds found in the motion of the telemetry: one event per episode beyond a threshold (`thresholds.ts`). */
export const MOTION_KINDS = [
  'harsh_brake',
  'harsh_accel',
  'harsh_lateral',
  'harsh_jerk',
  'speeding',
] as const satisfies readonly EventKind[];
export type MotionKind = (typeof MOTION_KINDS)[number];

/** Kinds event detection emits (`origin = 'detected'`): motion episodes, and mode changes within a drive. */
export const DETECTED_KINDS = [
  ...MOTION_KINDS,
  'disengagement',
  'ads_activated',
] as const satisfies readonly EventKind[];
export type DetectedKind = (typeof DETECTED_KINDS)[number];

/** Kinds no vehicle recorder logs: found in the motion of the telemetry, or reported by others (police, reviewers). */
const NOT_RECORDED = [...MOTION_KINDS, 'traffic_violation', 'near_miss'] as const satisfies readonly EventKind[];
export type RecorderKind = Exclude<EventKind, (typeof NOT_RECORDED)[number]>;

/** Kinds the vehicle's recorder logs: the DSSAD events of GB 44497-2024 / UN R157 and the operator's own records. */
export const RECORDER_KINDS: readonly RecorderKind[] = EVENT_KINDS.filter(
  (k): k is RecorderKind => !(NOT_RECORDED as readonly string[]).includes(k),
);

/** Motion kinds whose severity is the deepest tier (low / medium / high) held for the sustain time. */
export const TIERED_KINDS = ['harsh_brake', 'speeding'] as const satisfies readonly MotionKind[];

/**
 * Kinds whose event record a regulator checks (the −90 s … +30 s window of Shenzhen's ICV regulation and the 2022
 * national draft): accidents, takeovers, minimal-risk manoeuvres, failures and violations.
 */
export const RECORDABLE_KINDS = [
  'collision',
  'disengagement',
  'takeover_request',
  'mrm_started',
  'emergency_manoeuvre',
  'near_miss',
  'ads_failure',
  'vehicle_failure',
  'sensor_failure',
  'recorder_fault',
  'traffic_violation',
] as const satisfies readonly EventKind[];

/** Logged kinds that end autonomy on purpose or already record the disengagement a detected mode change shows. */
export const EXPLAINED_EXITS = ['disengagement', 'ads_deactivated', 'odd_exit'] as const satisfies readonly EventKind[];
