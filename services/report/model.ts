import type { Mode } from '../ingest/schema/vocab.js';
import type { RateInterval } from './rates.js';
import type { Period, PeriodKind } from './period.js';
import type { ReportThresholds } from './thresholds.js';

/**
 * The regulator's report of a month, a quarter or a whole test as plain, typed data: the twelve sections of the domain brief ("What a
 * regulator's monthly report contains"), the incident appendix and the flags. Renderers (HTML, PDF, CSV, JSON)
 * only format this; every figure is computed here.
 */

export type ByMode = Record<Mode | 'total', number>;

/** A figure with its change since the previous period (month, quarter, span). `previous` is null when that period has no data. */
export interface Delta {
  value: number | null;
  previous: number | null;
  delta: number | null;
  /** Relative change, percent; null when the previous value is 0 or missing. */
  delta_pct: number | null;
}

export function delta(value: number | null, previous: number | null): Delta {
  const d = value !== null && previous !== null ? value - previous : null;
  return {
    value,
    previous,
    delta: d,
    delta_pct: d !== null && previous !== null && previous !== 0 ? (d / Math.abs(previous)) * 100 : null,
  };
}

export type FlagLevel = 'red' | 'amber';

/** Something a regulator must act on: Guangdong's stop-testing triggers (red), compliance shortfalls (amber). */
export interface Flag {
  level: FlagLevel;
  code:
    | 'stop_testing'
    | 'incomplete_record'
    | 'officer_ratio'
    | 'position_coverage'
    | 'permit_expired'
    | 'permit_expiring'
    | 'permit_missing'
    | 'permit_dates'
    | 'permit_district'
    | 'quarantine'
    | 'unlogged_disengagement';
  company_id: string | null;
  event_id: string | null;
  message_zh: string;
  message_en: string;
}

export interface CompanyRef {
  id: string;
  name: string | null;
  name_en: string | null;
  /** Who answers for the report (fleet.json `contact`); null: not recorded. */
  contact: {
    name: string | null;
    title: string | null;
    phone: string | null;
    email: string | null;
    address: string | null;
  } | null;
}

export interface HeaderSection {
  scope: 'company' | 'fleet';
  companies: CompanyRef[];
  period: Period;
  /** Id of the period compared with (`YYYY-MM`, `YYYY-Qn`, `YYYY-MM..YYYY-MM`). */
  previous_period: string;
  /** null: no fleet reference, permits not recorded. */
  permits:
    | {
        company_id: string;
        number: string;
        kind: string | null;
        issued: string | null;
        expires: string | null;
        districts: string[];
        valid_for_period: boolean | null;
      }[]
    | null;
  vehicles: {
    company_id: string;
    vehicle_id: string;
    plate: string | null;
    vin: string | null;
    model: string | null;
    driverless: boolean | null;
    permit: string | null;
    active: boolean;
  }[];
  ads_versions: {
    version: string;
    company_id: string;
    vehicles: number;
    autonomous_km: number;
    autonomous_h: number;
    approved: string | null;
    new_this_period: boolean;
  }[];
  /** Fleet-wide report: one row per company. */
  company_summary: {
    company_id: string;
    name: string | null;
    vehicles_active: number;
    autonomous_km: number;
    autonomous_h: number;
    disengagements: number;
    per_1000_km: number | null;
    collisions: number;
    red_flags: number;
  }[];
  /** File name of the fleet reference (no directory: reports carry no server paths). */
  fleet_reference: string | null;
  /** ISO UTC instant; printed in Beijing time (`fmtBeijing`). */
  generated_at: string;
}

export interface FleetSection {
  /** From the fleet reference; null when not recorded. */
  vehicles_registered: number | null;
  vehicles_active: Delta;
  /** Active vehicles by type; null counts when the fleet reference does not say. */
  active_driverless: number | null;
  active_with_safety_driver: number | null;
  active_type_unknown: number;
  vehicle_days: Delta;
  officers: { onboard: number; remote: number; unspecified: number; total: number } | null;
  /** Officers per active vehicle; and for the driverless pilot, remote officers per driverless vehicle vs the required ratio. */
  officers_per_vehicle: number | null;
  driverless_ratio: {
    officers: number;
    vehicles: number;
    ratio: number | null;
    required: number;
    compliant: boolean;
  } | null;
  by_company: {
    company_id: string;
    registered: number | null;
    active: number;
    driverless: number | null;
    officers: number | null;
  }[];
}

export interface ExposureVehicleRow {
  company_id: string;
  vehicle_id: string;
  plate: string | null;
  driverless: boolean | null;
  days_active: number;
  km: ByMode;
  hours: ByMode;
  previous_autonomous_km: number | null;
}

export interface ExposureSection {
  km: Record<Mode | 'total', Delta>;
  hours: Record<Mode | 'total', Delta>;
  /** Autonomous driving with a safety driver aboard vs driverless, and remote operation; "unknown" without a fleet reference. */
  by_operation: {
    operation:
      'autonomous_safety_driver' | 'autonomous_driverless' | 'autonomous_vehicle_type_unknown' | 'remote' | 'manual';
    km: number;
    hours: number;
    previous_km: number | null;
  }[];
  by_vehicle: ExposureVehicleRow[];
  by_district: { district: string | null; km: ByMode; hours: ByMode }[];
  /** Local hour of day 0–23. */
  by_hour: { hour: number; km: ByMode; hours: ByMode }[];
  by_day: { date: string; km: ByMode; hours: ByMode; vehicles: number }[];
  by_ads_version: { version: string | null; km: ByMode; hours: ByMode }[];
  by_company: { company_id: string; km: ByMode; hours: ByMode; previous_autonomous_km: number | null }[];
}

export interface GateRow {
  company_id: string;
  id: string;
  label_zh: string;
  label_en: string;
  target_hours: number | null;
  target_km: number | null;
  clean: boolean;
  cumulative_hours: number;
  cumulative_km: number;
  /** max(hours / target, km / target), capped at 1. */
  progress: number;
  /** Progress at the end of the previous period. */
  previous_progress: number;
  status: 'met' | 'not_met' | 'blocked' | 'pending_liability';
}

export interface GatesSection {
  cumulative: {
    company_id: string;
    first_month: string | null;
    autonomous_km: number;
    autonomous_hours: number;
    violations: number;
    at_fault_accidents: number;
    accidents_liability_unknown: number;
    /** Cumulative autonomous km and hours at the end of each month with data, up to the period's end. */
    by_month: { month: string; km: number; hours: number }[];
  }[];
  gates: GateRow[];
}

export interface IncidentWindowState {
  complete: boolean;
  missing_before_s: number;
  missing_after_s: number;
  max_gap_s: number | null;
}

/** One incident as the report lists it. */
export interface ReportIncident {
  event_id: string;
  kind: string;
  severity: string | null;
  origin: string;
  company_id: string;
  vehicle_id: string;
  plate: string | null;
  ts: string;
  local_time: string;
  lat: number | null;
  lon: number | null;
  district: string | null;
  speed_kmh: number | null;
  mode: string | null;
  ads_version: string | null;
  initiator: string | null;
  cause: string | null;
  detail: string | null;
  window: IncidentWindowState | null;
}

export interface CountRow {
  key: string;
  count: number;
  previous: number | null;
}

export interface DisengagementSection {
  count: Delta;
  per_1000_km: Delta;
  /** Per 1,000 autonomous km with its 95 % interval. */
  rate: RateInterval;
  km_per_disengagement: Delta;
  autonomous_km: number;
  /** Logged by the vehicle vs found only as a mode change in telemetry. */
  logged: number;
  detected_only: number;
  by_initiator: CountRow[];
  by_cause: CountRow[];
  by_district: CountRow[];
  by_vehicle: {
    company_id: string;
    vehicle_id: string;
    plate: string | null;
    count: number;
    autonomous_km: number;
    per_1000_km: number | null;
  }[];
  events: ReportIncident[];
}

export interface AccidentRow extends ReportIncident {
  counterpart: string | null;
  injury: string | null;
  damage: string | null;
  liability: string | null;
  vulnerable_road_user: boolean | null;
  record_90s: boolean | null;
  stop_testing: boolean;
  /** What the vehicle logged (or detection found) in the event window around it, seconds from the collision. */
  around: { kind: string; offset_s: number; cause: string | null; speed_kmh: number | null }[];
}

export interface AccidentSection {
  count: Delta;
  per_million_km: Delta;
  /** Per million km (all modes) with its 95 % interval. */
  rate: RateInterval;
  by_severity: CountRow[];
  in_autonomous: number;
  vulnerable_road_user: number;
  stop_testing: boolean;
  list: AccidentRow[];
}

export interface ViolationSection {
  /** Traffic violations as recorded (logged or imported `traffic_violation` events). */
  recorded: Delta;
  by_cause: CountRow[];
  list: ReportIncident[];
  speeding: {
    episodes: Delta;
    by_tier: CountRow[];
    /** Autonomous km driven with a known posted limit, and above it by more than the tolerance. */
    autonomous_km_with_limit: number;
    autonomous_km_over_limit: number;
    share_over_limit: Delta;
    /** Highest speed / limit − 1 seen in autonomous mode, percent. */
    max_excess_pct: number | null;
    tolerance: number;
  };
}

export interface SafetyEventRow {
  kind: string;
  count: number;
  previous: number | null;
  logged: number;
  detected: number;
  imported: number;
  per_1000_km: number | null;
  by_severity: Record<string, number>;
}

export interface SafetyEventSection {
  total: Delta;
  per_1000_km: Delta;
  /** Per 1,000 km (all modes) with its 95 % interval. */
  rate: RateInterval;
  km: number;
  rows: SafetyEventRow[];
}

export interface SystemHealthSection {
  total: Delta;
  rows: { kind: string; count: number; previous: number | null; by_cause: Record<string, number> }[];
}

export interface ComplianceSection {
  required_hz: number;
  autonomous_hours: number;
  covered_hours: number;
  coverage_share: Delta;
  gaps: { count: Delta; total_s: number; longest_s: number | null; threshold_s: number };
  windows: {
    before_s: number;
    after_s: number;
    /** Recordable incidents (collisions, disengagements, failures, …). */
    incidents: number;
    complete: number;
    incomplete: number;
    /** Episodes detected in telemetry (harsh driving, speeding). */
    detected_incidents: number;
    detected_complete: number;
  };
  quarantine: { rows: Delta; by_reason: CountRow[] };
  sources: { telemetry: number; events: number; rows_stored: number };
  retention: {
    earliest_record: string | null;
    days_held: number | null;
    required_days: number;
    covers_requirement: boolean | null;
  };
}

export interface MapRoute {
  drive_id: string;
  vehicle_id: string;
  /** [lon, lat, mode code (`MODE_CODES`)] per thinned point, in time order. */
  points: [number, number, number][];
}

export interface MapSection {
  bbox: [number, number, number, number] | null;
  cell_deg: number;
  /** Routes are the mean positions of each `bucket_s` seconds of a drive, thinned to one point per grid cell. */
  bucket_s: number;
  routes: MapRoute[];
  /** Positions summarised, and points drawn after thinning. */
  samples: number;
  points: number;
  incidents: { event_id: string; kind: string; severity: string | null; lon: number; lat: number }[];
}

export interface ChangeRow {
  id: string;
  section: SectionId;
  label_zh: string;
  label_en: string;
  unit: string;
  value: number | null;
  previous: number | null;
  delta: number | null;
  delta_pct: number | null;
}

export interface ChangesSection {
  previous_period: string;
  previous_has_data: boolean;
  figures: ChangeRow[];
  notes: { zh: string; en: string }[];
}

export interface AppendixSection {
  incidents: ReportIncident[];
  incomplete: number;
}

export const SECTION_IDS = [
  'header',
  'fleet',
  'exposure',
  'gates',
  'disengagements',
  'accidents',
  'violations',
  'safety_events',
  'system_health',
  'data_compliance',
  'map',
  'changes',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface Fingerprint {
  /** sha256 over the sorted source sha256s and the thresholds JSON. */
  sha256: string;
  sources: number;
  source_sha256s: string[];
  thresholds_sha256: string;
  /** sha256 of the fleet reference file, when one was used. */
  fleet_reference_sha256: string | null;
}

/**
 * The key figures of one month of a multi-month report: what the period's totals are the sum of (rates are
 * recomputed from the sums, not summed).
 */
/**
 * Whether a month (or the whole period) can be read as final: `no_data` — it has ended and nothing was received;
 * `not_ended` — it has not ended and nothing was received yet; `in_progress` — it has not ended (figures so far).
 */
export type MonthStatus = 'complete' | 'no_data' | 'not_ended' | 'in_progress';

export interface MonthRow {
  month: string;
  status: MonthStatus;
  km: ByMode;
  hours: ByMode;
  vehicles_active: number;
  disengagements: number;
  per_1000_km: number | null;
  collisions: number;
  violations: number;
  speeding_episodes: number;
  safety_events: number;
}

export interface ReportModel {
  kind: 'avlog.report';
  version: 2;
  /** A company id, or `all` for the fleet-wide report. */
  company: string;
  /** The period's id: `YYYY-MM` (monthly report), `YYYY-Qn` (quarterly stage report), `YYYY-MM..YYYY-MM` (summary). */
  period: string;
  period_kind: PeriodKind;
  /** Whether the period has any telemetry or events in scope. */
  has_data: boolean;
  /** The key figures month by month, and their sum over the period. */
  months: { rows: MonthRow[]; total: MonthRow };
  fingerprint: Fingerprint;
  thresholds: ReportThresholds;
  flags: Flag[];
  header: HeaderSection;
  fleet: FleetSection;
  exposure: ExposureSection;
  gates: GatesSection;
  disengagements: DisengagementSection;
  accidents: AccidentSection;
  violations: ViolationSection;
  safety_events: SafetyEventSection;
  system_health: SystemHealthSection;
  data_compliance: ComplianceSection;
  map: MapSection;
  changes: ChangesSection;
  appendix: AppendixSection;
  /** Wall time of the lake queries and of building, ms (not part of the fingerprint). */
  timings: Record<string, number>;
}
