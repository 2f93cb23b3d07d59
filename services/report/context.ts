import type { IncidentWindowState } from './model.js';
import type { ReportEvent, RollupRow } from './inputs.js';

/**
 * What the telemetry rollup says about each vehicle's timeline, without reading telemetry again: its drives
 * (start, end, first mode), every interval between consecutive samples longer than the window edge tolerance, and
 * the mode changes the ingest detected. From these:
 *
 * - the driving mode and ADS version at an event (the latest sample at or before it, as the metrics' ASOF join);
 * - whether an incident's event record (−before … +after) is complete, with the same rule as `incidentDetail`:
 *   samples reach both ends within `edgeS` and no gap between consecutive samples inside exceeds `maxGapS`.
 *   Only intervals longer than `edgeS` can break either condition, and the rollup lists every one of them (plus
 *   the breaks between drives), so the check is exact.
 */

type Timed = RollupRow & { t0: number; t1: number };

interface Drive {
  drive_id: string;
  start: number;
  end: number;
  first_mode: string;
  /** Rollup groups of this drive, by start time. */
  groups: Timed[];
  /** Detected mode changes (ts, to), by time. */
  transitions: { t: number; to: string }[];
}

/** A time span with no samples strictly inside it: (p, s); ±Infinity before the first and after the last sample. */
interface Interval {
  p: number;
  s: number;
}

const MODE_CHANGE_KINDS = new Set(['ads_activated', 'disengagement']);

export class VehicleTimelines {
  private readonly drives = new Map<string, Drive[]>();
  private readonly intervals = new Map<string, Interval[]>();

  constructor(rollup: readonly RollupRow[], events: readonly ReportEvent[]) {
    const byDrive = new Map<string, { vehicle: string; rows: Timed[] }>();
    for (const r of rollup) {
      if (r.drive_id === null || r.t0 === null || r.t1 === null) continue;
      let d = byDrive.get(r.drive_id);
      if (!d) byDrive.set(r.drive_id, (d = { vehicle: r.vehicle_id, rows: [] }));
      d.rows.push(r as Timed);
    }
    const transitions = new Map<string, { t: number; to: string }[]>();
    for (const e of events) {
      if (e.origin !== 'detected' || !MODE_CHANGE_KINDS.has(e.kind) || e.drive_id === null) continue;
      let to: string | null = null;
      try {
        to = (JSON.parse(e.detail ?? '{}') as { to?: string }).to ?? null;
      } catch {
        to = null;
      }
      if (to === null) to = e.kind === 'ads_activated' ? 'autonomous' : null;
      if (to === null) continue;
      let list = transitions.get(e.drive_id);
      if (!list) transitions.set(e.drive_id, (list = []));
      list.push({ t: Date.parse(e.ts) / 1000, to });
    }
    const gapsByVehicle = new Map<string, Interval[]>();
    for (const [drive_id, { vehicle, rows }] of byDrive) {
      rows.sort((a, b) => a.t0 - b.t0);
      const first = rows[0] as Timed;
      let end = -Infinity;
      for (const r of rows) {
        if (r.t1 > end) end = r.t1;
        if (r.long_interval && r.max_dt !== null) {
          let list = gapsByVehicle.get(vehicle);
          if (!list) gapsByVehicle.set(vehicle, (list = []));
          list.push({ p: r.t0 - r.max_dt, s: r.t0 });
        }
      }
      const drive: Drive = {
        drive_id,
        start: first.t0,
        end,
        first_mode: first.mode,
        groups: rows,
        transitions: (transitions.get(drive_id) ?? []).sort((a, b) => a.t - b.t),
      };
      let list = this.drives.get(vehicle);
      if (!list) this.drives.set(vehicle, (list = []));
      list.push(drive);
    }
    for (const [vehicle, drives] of this.drives) {
      drives.sort((a, b) => a.start - b.start);
      const list: Interval[] = gapsByVehicle.get(vehicle) ?? [];
      let prevEnd = -Infinity;
      for (const d of drives) {
        if (d.start > prevEnd) list.push({ p: prevEnd, s: d.start });
        prevEnd = Math.max(prevEnd, d.end);
      }
      list.push({ p: prevEnd, s: Infinity });
      list.sort((a, b) => a.p - b.p);
      this.intervals.set(vehicle, list);
    }
  }

  /** The drive a vehicle's latest sample at or before `t` (s) belongs to, or null. */
  private driveAt(vehicle: string, t: number): Drive | null {
    const drives = this.drives.get(vehicle);
    if (!drives) return null;
    let lo = 0;
    let hi = drives.length - 1;
    let found: Drive | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = drives[mid] as Drive;
      if (d.start <= t) {
        found = d;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Mode and ADS version of the vehicle's latest sample at or before `iso` (null: no sample before it in the report window). */
  contextAt(vehicle: string, iso: string): { mode: string | null; ads_version: string | null } {
    const t = Date.parse(iso) / 1000;
    const d = this.driveAt(vehicle, t);
    if (!d) return { mode: null, ads_version: null };
    const x = Math.min(t, d.end);
    let mode = d.first_mode;
    for (const tr of d.transitions) {
      if (tr.t <= x) mode = tr.to;
      else break;
    }
    // Groups holding samples around x: the mode must be one of theirs (a manual ↔ remote switch is not a detected change).
    const around = d.groups.filter((g) => g.t0 <= x && g.t1 >= x);
    const latest = lastStartedBy(d.groups, x);
    const modes = new Set(around.map((g) => g.mode));
    if (modes.size && !modes.has(mode)) mode = modes.size === 1 ? ([...modes][0] as string) : (latest?.mode ?? mode);
    const version = (around[0] ?? latest)?.ads_version ?? null;
    return { mode, ads_version: version };
  }

  /** Whether the record from `beforeS` before to `afterS` after `iso` is complete (see the class comment). */
  window(
    vehicle: string,
    iso: string,
    w: { beforeS: number; afterS: number },
    tol: { edgeS: number; maxGapS: number },
  ): IncidentWindowState {
    const t = Date.parse(iso) / 1000;
    const F = t - w.beforeS;
    const T = t + w.afterS;
    const list = this.intervals.get(vehicle) ?? [{ p: -Infinity, s: Infinity }];
    let missingBefore = 0;
    let missingAfter = 0;
    let maxGap: number | null = null;
    let complete = true;
    for (const { p, s } of list) {
      if (p > T) break;
      if (s < F) continue;
      if (p < F && s > T) {
        // no sample in the window at all
        return { complete: false, missing_before_s: w.beforeS, missing_after_s: w.afterS, max_gap_s: null };
      }
      if (p < F && s >= F) missingBefore = Math.max(missingBefore, s - F);
      if (s > T && p <= T) missingAfter = Math.max(missingAfter, T - p);
      if (p >= F && s <= T) maxGap = Math.max(maxGap ?? 0, s - p);
    }
    if (missingBefore > tol.edgeS || missingAfter > tol.edgeS || (maxGap ?? 0) > tol.maxGapS) complete = false;
    return {
      complete,
      missing_before_s: round3(missingBefore),
      missing_after_s: round3(missingAfter),
      max_gap_s: maxGap === null ? null : round3(maxGap),
    };
  }
}

function lastStartedBy(groups: readonly Timed[], x: number): Timed | null {
  let found: Timed | null = null;
  for (const g of groups) {
    if (g.t0 <= x) found = g;
    else break;
  }
  return found;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
