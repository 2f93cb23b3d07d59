import { monthPeriod } from '../../services/report/period.js';
import type { ReportEvent, ReportInputs, RollupRow } from '../../services/report/inputs.js';
import { DEFAULT_REPORT_THRESHOLDS } from '../../services/report/thresholds.js';

/** Report inputs built by hand: rollup rows, events and the rest of `ReportInputs` for company co1, September 2026. */
export const at = (iso: string) => Date.parse(iso) / 1000;

/** A detail row of one drive minute (or one long-interval sample). */
export function row(o: Partial<RollupRow> & { t0: number; t1: number }): RollupRow {
  const local = new Date((o.t0 + 8 * 3600) * 1000).toISOString();
  return {
    part: 'detail',
    company_id: 'co1',
    vehicle_id: 'v1',
    drive_id: 'v1-d1',
    month: local.slice(0, 7),
    day: local.slice(0, 10),
    hour: Number(local.slice(11, 13)),
    mode: 'autonomous',
    district: null,
    ads_version: 'ADS-1.0',
    n: 600,
    m: 10_000,
    s: o.t1 - o.t0,
    covered_s: o.t1 - o.t0,
    gaps: 0,
    gap_s: 0,
    max_gap: null,
    m_limit: 10_000,
    m_over: 0,
    max_ratio: 0.9,
    max_dt: null,
    long_interval: false,
    lon: 114.05,
    lat: 22.54,
    ...o,
  };
}

export function event(o: Partial<ReportEvent> & { kind: string; ts: string }): ReportEvent {
  return {
    event_id: `e-${o.kind}-${o.ts}`,
    severity: null,
    origin: 'logged',
    company_id: 'co1',
    vehicle_id: 'v1',
    drive_id: null,
    ts_end: null,
    lat: 22.54,
    lon: 114.05,
    speed_mps: 10,
    peak: null,
    initiator: null,
    cause: null,
    district: null,
    mode: null,
    ads_version: null,
    detail: null,
    source_id: '',
    counted: true,
    month: new Date(Date.parse(o.ts) + 8 * 3600_000).toISOString().slice(0, 7),
    ...o,
  };
}

export function inputs(o: Partial<ReportInputs> = {}): ReportInputs {
  return {
    company: 'co1',
    period: monthPeriod('2026-09'),
    previous: monthPeriod('2026-08'),
    thresholds: DEFAULT_REPORT_THRESHOLDS,
    fleet: null,
    rollup: [],
    events: [],
    history: [],
    history_events: [],
    first_date: { co1: '2026-09-01' },
    quarantine: [],
    sources: new Map(),
    timings: {},
    ...o,
  };
}
