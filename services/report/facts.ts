import type { ReportEvent, RollupRow } from './inputs.js';
import { MODES, type Mode } from '../ingest/schema/vocab.js';
import type { ByMode } from './model.js';

export function emptyByMode(): ByMode {
  return { autonomous: 0, manual: 0, remote: 0, unknown: 0, total: 0 };
}

export function modeOf(m: string): Mode {
  return (MODES as readonly string[]).includes(m) ? (m as Mode) : 'unknown';
}

/** Adds km (from m) and hours (from s) of a rollup row to two by-mode accumulators. */
export function addRow(km: ByMode, h: ByMode, r: RollupRow): void {
  const mode = modeOf(r.mode);
  km[mode] += r.m / 1000;
  km.total += r.m / 1000;
  h[mode] += r.s / 3600;
  h.total += r.s / 3600;
}

export interface VehicleFacts {
  company_id: string;
  vehicle_id: string;
  km: ByMode;
  hours: ByMode;
  days: Set<string>;
}

/** Telemetry and event figures of one period's months (for one company or all), from the rollup and the events. */
export interface MonthFacts {
  months: readonly string[];
  has_data: boolean;
  rows: RollupRow[];
  /** Events of the month (local date), all of them; `counted` ones are what the metrics count. */
  events: ReportEvent[];
  km: ByMode;
  hours: ByMode;
  vehicles: Map<string, VehicleFacts>;
  vehicle_days: number;
  /** Autonomous seconds, and those at the required position rate. */
  autonomous_s: number;
  covered_s: number;
  gaps: number;
  gap_s: number;
  longest_gap_s: number | null;
  /** Autonomous metres with a known posted limit, above it by more than the tolerance, and the highest speed / limit. */
  m_limit: number;
  m_over: number;
  max_ratio: number | null;
}

/** Facts of some months from their rollup rows of one part (detail: the report period; light: the previous one). */
export function monthFacts(
  months: readonly string[],
  part: RollupRow['part'],
  rollup: readonly RollupRow[],
  events: readonly ReportEvent[],
  company: string | null,
): MonthFacts {
  const rows = rollup.filter(
    (r) => r.part === part && months.includes(r.month) && (company === null || r.company_id === company),
  );
  const f: MonthFacts = {
    months,
    has_data: false,
    rows,
    events: events.filter((e) => months.includes(e.month) && (company === null || e.company_id === company)),
    km: emptyByMode(),
    hours: emptyByMode(),
    vehicles: new Map(),
    vehicle_days: 0,
    autonomous_s: 0,
    covered_s: 0,
    gaps: 0,
    gap_s: 0,
    longest_gap_s: null,
    m_limit: 0,
    m_over: 0,
    max_ratio: null,
  };
  for (const r of rows) {
    addRow(f.km, f.hours, r);
    let v = f.vehicles.get(r.vehicle_id);
    if (!v)
      f.vehicles.set(
        r.vehicle_id,
        (v = {
          company_id: r.company_id,
          vehicle_id: r.vehicle_id,
          km: emptyByMode(),
          hours: emptyByMode(),
          days: new Set(),
        }),
      );
    addRow(v.km, v.hours, r);
    v.days.add(r.day);
    f.gaps += r.gaps;
    f.gap_s += r.gap_s;
    if (r.max_gap !== null) f.longest_gap_s = Math.max(f.longest_gap_s ?? 0, r.max_gap);
    if (r.mode === 'autonomous') {
      f.autonomous_s += r.s;
      f.covered_s += r.covered_s;
      f.m_limit += r.m_limit;
      f.m_over += r.m_over;
      if (r.max_ratio !== null) f.max_ratio = Math.max(f.max_ratio ?? 0, r.max_ratio);
    }
  }
  for (const v of f.vehicles.values()) f.vehicle_days += v.days.size;
  f.has_data = rows.length > 0 || f.events.length > 0;
  return f;
}

/** Counts of `items` by a key, as a plain record. */
export function countBy<T>(items: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) {
    const k = key(x);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
