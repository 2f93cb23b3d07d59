import { VehicleTimelines } from './context.js';
import { addRow, countBy, emptyByMode, monthFacts, type MonthFacts } from './facts.js';
import type { FleetCompany, FleetReference, FleetVehicle } from '../reference/fleet-reference.js';
import { isIncident, MOTION_KINDS, RECORDABLE_KINDS } from '../vocabulary/event-kinds.js';
import { KIND_LABELS } from '../vocabulary/labels.js';
import { DRIVEN_MODES, MODE_CODES } from '../vocabulary/modes.js';
import { INJURY_LEVELS } from '../vocabulary/severities.js';
import { FIGURES, labelOf, PERIOD_WORDS } from './i18n.js';
import { ROUTE_BUCKET_S, type ReportEvent, type ReportInputs } from './inputs.js';
import {
  delta,
  type AccidentRow,
  type AccidentSection,
  type AppendixSection,
  type ByMode,
  type ChangeRow,
  type ChangesSection,
  type CountRow,
  type Delta,
  type DisengagementSection,
  type ExposureSection,
  type Flag,
  type FleetSection,
  type GateRow,
  type GatesSection,
  type HeaderSection,
  type MapSection,
  type ReportIncident,
  type SafetyEventSection,
  type SafetyEventRow,
  type SectionId,
  type SystemHealthSection,
  type ViolationSection,
  type ComplianceSection,
  type MonthRow,
} from './model.js';
import { lastMonth, localTime } from './period.js';
import { HEALTH_KINDS, hasOwnSection, SAFETY_ORDER } from './kind-sections.js';
import type { ReportThresholds } from './thresholds.js';

const VRU = /pedestrian|scooter|bicycl|cycl|tricycle|motorcycl|moped|e_bike|ebike|行人|非机动车|电动车|自行车|三轮/iu;
const NOT_AT_FAULT = new Set(['not_at_fault', 'no_fault', 'none', 'not_liable', '无责']);

/** Everything the section functions share. */
export interface BuildContext {
  inputs: ReportInputs;
  /** null: the fleet-wide report. */
  company: string | null;
  t: ReportThresholds;
  cur: MonthFacts;
  prev: MonthFacts;
  timelines: VehicleTimelines;
  fleet: FleetIndex;
  /** Incidents of the report month (all kinds but bookkeeping) as the report lists them. */
  incidents: ReportIncident[];
  generatedAt: string;
}

export interface FleetIndex {
  ref: FleetReference | null;
  companies: Map<string, FleetCompany>;
  vehicles: Map<string, FleetVehicle>;
}

function fleetIndex(ref: FleetReference | null): FleetIndex {
  return {
    ref,
    companies: new Map((ref?.companies ?? []).map((c) => [c.id, c])),
    vehicles: new Map((ref?.vehicles ?? []).map((v) => [v.id, v])),
  };
}

const counted = (events: readonly ReportEvent[], kind: string) => events.filter((e) => e.counted && e.kind === kind);
const per = (n: number, km: number, scale: number): number | null => (km > 0 ? (n / km) * scale : null);
const prevOr = <T>(f: MonthFacts, v: T): T | null => (f.has_data ? v : null);

function countRows(
  cur: Record<string, number>,
  prev: Record<string, number> | null,
  order: readonly string[] = [],
): CountRow[] {
  const keys = [
    ...new Set([
      ...order.filter((k) => k in cur || (prev !== null && k in prev)),
      ...Object.keys(cur).sort(),
      ...Object.keys(prev ?? {}).sort(),
    ]),
  ];
  return keys.map((key) => ({ key, count: cur[key] ?? 0, previous: prev === null ? null : (prev[key] ?? 0) }));
}

/** Creates the context: facts of the report period and the period before, timelines, incidents. */
export function buildContext(inputs: ReportInputs, generatedAt: string): BuildContext {
  const company = inputs.company === 'all' ? null : inputs.company;
  const t = inputs.thresholds;
  const cur = monthFacts(inputs.period.months, 'detail', inputs.rollup, inputs.events, company);
  const prev = monthFacts(inputs.previous.months, 'light', inputs.rollup, inputs.events, company);
  const timelines = new VehicleTimelines(inputs.rollup, inputs.events);
  const fleet = fleetIndex(inputs.fleet);
  const incidents = cur.events
    .filter((e) => isIncident(e.kind) && e.counted)
    .sort((a, b) => a.ts.localeCompare(b.ts) || a.event_id.localeCompare(b.event_id))
    .map((e) => {
      const c = timelines.contextAt(e.vehicle_id, e.ts);
      const checkWindow =
        (RECORDABLE_KINDS as readonly string[]).includes(e.kind) ||
        (MOTION_KINDS as readonly string[]).includes(e.kind);
      return {
        event_id: e.event_id,
        kind: e.kind,
        severity: e.severity,
        origin: e.origin,
        company_id: e.company_id,
        vehicle_id: e.vehicle_id,
        plate: fleet.vehicles.get(e.vehicle_id)?.plate ?? null,
        ts: e.ts,
        local_time: localTime(e.ts),
        lat: e.lat,
        lon: e.lon,
        district: e.district,
        speed_kmh: e.speed_mps === null ? null : e.speed_mps * 3.6,
        mode: c.mode,
        ads_version: c.ads_version,
        initiator: e.initiator,
        cause: e.cause,
        detail: e.detail,
        window: checkWindow ? timelines.window(e.vehicle_id, e.ts, t.window, t.windowTolerance) : null,
      } satisfies ReportIncident;
    });
  return { inputs, company, t, cur, prev, timelines, fleet, incidents, generatedAt };
}

function companiesOf(ctx: BuildContext): string[] {
  if (ctx.company !== null) return [ctx.company];
  const ids = new Set<string>();
  for (const r of ctx.inputs.rollup) ids.add(r.company_id);
  for (const e of ctx.inputs.events) ids.add(e.company_id);
  for (const h of ctx.inputs.history) ids.add(h.company_id);
  return [...ids].sort();
}

// ── 1. Header ────────────────────────────────────────────────────────────────────────────────────────────────────

export function headerSection(ctx: BuildContext): HeaderSection {
  const { inputs, fleet, cur } = ctx;
  const companies = companiesOf(ctx);
  const p = inputs.period;
  const permits = fleet.ref
    ? companies.flatMap((id) =>
        (fleet.companies.get(id)?.permits ?? []).map((pm) => ({
          company_id: id,
          number: pm.number,
          kind: pm.kind,
          issued: pm.issued,
          expires: pm.expires,
          districts: pm.districts,
          valid_for_period:
            pm.issued !== null && pm.expires !== null ? pm.issued <= p.firstDate && pm.expires >= p.lastDate : null,
        })),
      )
    : null;
  const vehicleIds = new Set<string>([...cur.vehicles.keys()]);
  for (const v of fleet.vehicles.values())
    if (v.company_id !== null && companies.includes(v.company_id)) vehicleIds.add(v.id);
  const vehicles = [...vehicleIds].sort().map((id) => {
    const ref = fleet.vehicles.get(id);
    return {
      company_id: cur.vehicles.get(id)?.company_id ?? ref?.company_id ?? '',
      vehicle_id: id,
      plate: ref?.plate ?? null,
      vin: ref?.vin ?? null,
      model: ref?.model ?? null,
      driverless: ref?.driverless ?? null,
      permit: ref?.permit ?? null,
      active: cur.vehicles.has(id),
    };
  });
  const versions = new Map<
    string,
    { company_id: string; version: string; vehicles: Set<string>; km: number; h: number }
  >();
  const prevVersions = new Set(ctx.prev.rows.map((r) => `${r.company_id}\u0000${r.ads_version ?? ''}`));
  for (const r of cur.rows) {
    if (r.ads_version === null) continue;
    const key = `${r.company_id}\u0000${r.ads_version}`;
    let v = versions.get(key);
    if (!v)
      versions.set(key, (v = { company_id: r.company_id, version: r.ads_version, vehicles: new Set(), km: 0, h: 0 }));
    v.vehicles.add(r.vehicle_id);
    if (r.mode === 'autonomous') {
      v.km += r.m / 1000;
      v.h += r.s / 3600;
    }
  }
  const ads_versions = [...versions.values()]
    .sort((a, b) => a.company_id.localeCompare(b.company_id) || a.version.localeCompare(b.version))
    .map((v) => ({
      version: v.version,
      company_id: v.company_id,
      vehicles: v.vehicles.size,
      autonomous_km: v.km,
      autonomous_h: v.h,
      approved: fleet.companies.get(v.company_id)?.ads_releases.find((r) => r.version === v.version)?.approved ?? null,
      new_this_period: !prevVersions.has(`${v.company_id}\u0000${v.version}`),
    }));
  const company_summary =
    ctx.company === null
      ? companies.map((id) => {
          const f = monthFacts(cur.months, 'detail', inputs.rollup, inputs.events, id);
          const dis = counted(f.events, 'disengagement').length;
          const collisions = counted(f.events, 'collision');
          return {
            company_id: id,
            name: fleet.companies.get(id)?.name ?? null,
            vehicles_active: f.vehicles.size,
            autonomous_km: f.km.autonomous,
            autonomous_h: f.hours.autonomous,
            disengagements: dis,
            per_1000_km: per(dis, f.km.autonomous, 1000),
            collisions: collisions.length,
            red_flags: collisions.filter((e) => stopTesting(e, ctx.t)).length,
          };
        })
      : [];
  return {
    scope: ctx.company === null ? 'fleet' : 'company',
    companies: companies.map((id) => ({
      id,
      name: fleet.companies.get(id)?.name ?? null,
      name_en: fleet.companies.get(id)?.name_en ?? null,
    })),
    period: p,
    previous_period: inputs.previous.id,
    permits,
    vehicles,
    ads_versions,
    company_summary,
    fleet_reference: fleet.ref?.file ?? null,
    generated_at: ctx.generatedAt,
  };
}

// ── 2. Fleet ─────────────────────────────────────────────────────────────────────────────────────────────────────

export function fleetSection(ctx: BuildContext): FleetSection {
  const { cur, prev, fleet } = ctx;
  const companies = companiesOf(ctx);
  const known = fleet.ref !== null;
  const registered = known
    ? [...fleet.vehicles.values()].filter((v) => v.company_id !== null && companies.includes(v.company_id))
    : [];
  let driverless = 0;
  let withDriver = 0;
  let unknownType = 0;
  for (const id of cur.vehicles.keys()) {
    const d = fleet.vehicles.get(id)?.driverless;
    if (d === true) driverless++;
    else if (d === false) withDriver++;
    else unknownType++;
  }
  const officers = known ? companies.flatMap((id) => fleet.companies.get(id)?.safety_officers ?? []) : [];
  const officersKnown =
    known &&
    companies.some(
      (id) =>
        fleet.companies.get(id)?.safety_officers !== null && fleet.companies.get(id)?.safety_officers !== undefined,
    );
  const onboard = officers.filter((o) => o.role === 'onboard').length;
  const remote = officers.filter((o) => o.role === 'remote').length;
  const unspecified = officers.length - onboard - remote;
  const ratio =
    officersKnown && driverless > 0
      ? {
          officers: remote + unspecified,
          vehicles: driverless,
          ratio: (remote + unspecified) / driverless,
          required: ctx.t.officersPerDriverless,
          compliant: (remote + unspecified) / driverless >= ctx.t.officersPerDriverless - 1e-9,
        }
      : null;
  return {
    vehicles_registered: known ? registered.length : null,
    vehicles_active: delta(cur.vehicles.size, prevOr(prev, prev.vehicles.size)),
    active_driverless: known ? driverless : null,
    active_with_safety_driver: known ? withDriver : null,
    active_type_unknown: unknownType,
    vehicle_days: delta(cur.vehicle_days, prevOr(prev, prev.vehicle_days)),
    officers: officersKnown ? { onboard, remote, unspecified, total: officers.length } : null,
    officers_per_vehicle: officersKnown && cur.vehicles.size > 0 ? officers.length / cur.vehicles.size : null,
    driverless_ratio: ratio,
    by_company: companies.map((id) => {
      const reg = known ? registered.filter((v) => v.company_id === id) : null;
      const active = [...cur.vehicles.values()].filter((v) => v.company_id === id);
      return {
        company_id: id,
        registered: reg ? reg.length : null,
        active: active.length,
        driverless: known ? active.filter((v) => fleet.vehicles.get(v.vehicle_id)?.driverless === true).length : null,
        officers: fleet.companies.get(id)?.safety_officers?.length ?? null,
      };
    }),
  };
}

// ── 3. Exposure ──────────────────────────────────────────────────────────────────────────────────────────────────

function byModeDelta(cur: ByMode, prev: ByMode | null): Record<keyof ByMode, Delta> {
  const out = {} as Record<keyof ByMode, Delta>;
  for (const k of Object.keys(cur) as (keyof ByMode)[]) out[k] = delta(cur[k], prev === null ? null : prev[k]);
  return out;
}

function groupRows<K extends string | number | null>(
  rows: MonthFacts['rows'],
  key: (r: MonthFacts['rows'][number]) => K,
) {
  const out = new Map<K, { km: ByMode; hours: ByMode; vehicles: Set<string> }>();
  for (const r of rows) {
    const k = key(r);
    let g = out.get(k);
    if (!g) out.set(k, (g = { km: emptyByMode(), hours: emptyByMode(), vehicles: new Set() }));
    addRow(g.km, g.hours, r);
    g.vehicles.add(r.vehicle_id);
  }
  return out;
}

export function exposureSection(ctx: BuildContext): ExposureSection {
  const { cur, prev, fleet } = ctx;
  const operation = (f: MonthFacts) => {
    const out = {
      autonomous_safety_driver: { km: 0, h: 0 },
      autonomous_driverless: { km: 0, h: 0 },
      autonomous_vehicle_type_unknown: { km: 0, h: 0 },
      remote: { km: 0, h: 0 },
      manual: { km: 0, h: 0 },
    };
    for (const v of f.vehicles.values()) {
      const d = fleet.vehicles.get(v.vehicle_id)?.driverless;
      const a =
        d === true
          ? out.autonomous_driverless
          : d === false
            ? out.autonomous_safety_driver
            : out.autonomous_vehicle_type_unknown;
      a.km += v.km.autonomous;
      a.h += v.hours.autonomous;
      out.remote.km += v.km.remote;
      out.remote.h += v.hours.remote;
      out.manual.km += v.km.manual;
      out.manual.h += v.hours.manual;
    }
    return out;
  };
  const op = operation(cur);
  const opPrev = prev.has_data ? operation(prev) : null;
  const by_operation = (Object.keys(op) as (keyof typeof op)[])
    .filter((k) => k !== 'autonomous_vehicle_type_unknown' || op[k].km > 0 || fleet.ref === null)
    .map((k) => ({ operation: k, km: op[k].km, hours: op[k].h, previous_km: opPrev ? opPrev[k].km : null }));
  const by_vehicle = [...cur.vehicles.values()]
    .sort((a, b) => a.company_id.localeCompare(b.company_id) || a.vehicle_id.localeCompare(b.vehicle_id))
    .map((v) => ({
      company_id: v.company_id,
      vehicle_id: v.vehicle_id,
      plate: fleet.vehicles.get(v.vehicle_id)?.plate ?? null,
      driverless: fleet.vehicles.get(v.vehicle_id)?.driverless ?? null,
      days_active: v.days.size,
      km: v.km,
      hours: v.hours,
      previous_autonomous_km: prev.has_data ? (prev.vehicles.get(v.vehicle_id)?.km.autonomous ?? 0) : null,
    }));
  const district = groupRows(cur.rows, (r) => r.district);
  const hour = groupRows(cur.rows, (r) => r.hour ?? -1);
  const day = groupRows(cur.rows, (r) => r.day);
  const version = groupRows(cur.rows, (r) => r.ads_version);
  const company = groupRows(cur.rows, (r) => r.company_id);
  const prevCompany = groupRows(prev.rows, (r) => r.company_id);
  const days: string[] = [];
  const first = Date.parse(`${ctx.inputs.period.firstDate}T00:00:00Z`);
  for (let d = 0; d < ctx.inputs.period.days; d++)
    days.push(new Date(first + d * 86_400_000).toISOString().slice(0, 10));
  return {
    km: byModeDelta(cur.km, prev.has_data ? prev.km : null),
    hours: byModeDelta(cur.hours, prev.has_data ? prev.hours : null),
    by_operation,
    by_vehicle,
    by_district: [...district]
      .sort((a, b) => b[1].km.total - a[1].km.total)
      .map(([k, g]) => ({ district: k, km: g.km, hours: g.hours })),
    by_hour: Array.from({ length: 24 }, (_, h) => ({
      hour: h,
      km: hour.get(h)?.km ?? emptyByMode(),
      hours: hour.get(h)?.hours ?? emptyByMode(),
    })),
    by_day: days.map((d) => ({
      date: d,
      km: day.get(d)?.km ?? emptyByMode(),
      hours: day.get(d)?.hours ?? emptyByMode(),
      vehicles: day.get(d)?.vehicles.size ?? 0,
    })),
    by_ads_version: [...version]
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
      .map(([k, g]) => ({ version: k, km: g.km, hours: g.hours })),
    by_company: [...company]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, g]) => ({
        company_id: k,
        km: g.km,
        hours: g.hours,
        previous_autonomous_km: prev.has_data ? (prevCompany.get(k)?.km.autonomous ?? 0) : null,
      })),
  };
}

// ── 4. Gates ─────────────────────────────────────────────────────────────────────────────────────────────────────

interface CollisionFacts {
  counterpart: string | null;
  damage: string | null;
  liability: string | null;
  vru: boolean | null;
  at_fault: boolean | null;
}

function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const d = JSON.parse(detail) as unknown;
    return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What the record says about a collision: counterpart, damage, liability (from an imported record's detail), vulnerable road user. */
export function collisionFacts(e: { cause: string | null; detail: string | null }): CollisionFacts {
  const d = parseDetail(e.detail);
  const s = (k: string[]): string | null => {
    for (const key of k) {
      const v = d[key];
      if (typeof v === 'string' && v) return v;
      if (typeof v === 'boolean') return key === 'at_fault' ? (v ? 'at_fault' : 'not_at_fault') : String(v);
    }
    return null;
  };
  const counterpart = s(['counterpart', 'other_party']) ?? e.cause;
  const liability = s(['liability', 'at_fault', 'fault', 'responsibility']);
  const vruRaw = d.vru ?? d.vulnerable_road_user;
  const vru = typeof vruRaw === 'boolean' ? vruRaw : counterpart === null ? null : VRU.test(counterpart);
  const pending = liability === null || /pending|unknown|undetermined|待/iu.test(liability);
  return {
    counterpart,
    damage: s(['damage', 'vehicle_damage']),
    liability,
    vru,
    at_fault: pending ? null : !NOT_AT_FAULT.has(liability.toLowerCase()),
  };
}

/** Guangdong's stop-testing triggers: a serious injury, a death, or a destroyed vehicle. */
export function stopTesting(
  e: { severity: string | null; cause: string | null; detail: string | null },
  t: ReportThresholds,
): boolean {
  if (e.severity !== null && t.stopTestingSeverities.includes(e.severity)) return true;
  const damage = collisionFacts(e).damage;
  return damage !== null && t.stopTestingDamage.includes(damage.toLowerCase());
}

export function gatesSection(ctx: BuildContext): GatesSection {
  const { inputs, t } = ctx;
  const companies = companiesOf(ctx);
  const cumulative = companies.map((id) => {
    const months = new Map<string, { km: number; h: number }>();
    for (const h of inputs.history)
      if (h.company_id === id) months.set(h.month, { km: h.autonomous_km, h: h.autonomous_h });
    for (const r of [...ctx.cur.rows, ...ctx.prev.rows]) {
      if (r.company_id !== id || r.mode !== 'autonomous') continue;
      const m = months.get(r.month) ?? { km: 0, h: 0 };
      m.km += r.m / 1000;
      m.h += r.s / 3600;
      months.set(r.month, m);
    }
    let km = 0;
    let h = 0;
    const by_month = [...months.keys()]
      .filter((m) => m <= lastMonth(inputs.period))
      .sort()
      .map((m) => {
        km += months.get(m)?.km ?? 0;
        h += months.get(m)?.h ?? 0;
        return { month: m, km, hours: h };
      });
    const evs = [...inputs.history_events, ...inputs.events.filter((e) => e.month <= lastMonth(inputs.period))].filter(
      (e) => e.company_id === id,
    );
    const collisions = evs.filter((e) => e.kind === 'collision').map(collisionFacts);
    return {
      company_id: id,
      first_month: by_month[0]?.month ?? null,
      autonomous_km: km,
      autonomous_hours: h,
      violations: evs.filter((e) => e.kind === 'traffic_violation').length,
      at_fault_accidents: collisions.filter((c) => c.at_fault === true).length,
      accidents_liability_unknown: collisions.filter((c) => c.at_fault === null).length,
      by_month,
    };
  });
  const gates: GateRow[] = [];
  for (const c of cumulative) {
    const prevPoint = [...c.by_month].reverse().find((m) => m.month < (inputs.period.months[0] as string)) ?? {
      km: 0,
      hours: 0,
    };
    for (const g of t.gates) {
      const progressOf = (km: number, h: number) =>
        Math.min(1, Math.max(g.hours ? h / g.hours : 0, g.km ? km / g.km : 0));
      const progress = progressOf(c.autonomous_km, c.autonomous_hours);
      const reached = progress >= 1;
      let status: GateRow['status'] = reached ? 'met' : 'not_met';
      if (reached && g.clean) {
        if (c.violations > 0 || c.at_fault_accidents > 0) status = 'blocked';
        else if (c.accidents_liability_unknown > 0) status = 'pending_liability';
      }
      gates.push({
        company_id: c.company_id,
        id: g.id,
        label_zh: g.label_zh,
        label_en: g.label_en,
        target_hours: g.hours,
        target_km: g.km,
        clean: g.clean,
        cumulative_hours: c.autonomous_hours,
        cumulative_km: c.autonomous_km,
        progress,
        previous_progress: progressOf(prevPoint.km, prevPoint.hours),
        status,
      });
    }
  }
  return { cumulative, gates };
}

// ── 5. Disengagements ────────────────────────────────────────────────────────────────────────────────────────────

export function disengagementSection(ctx: BuildContext): DisengagementSection {
  const { cur, prev, fleet } = ctx;
  const d = counted(cur.events, 'disengagement');
  const dp = counted(prev.events, 'disengagement');
  const n = d.length;
  const np = prev.has_data ? dp.length : null;
  const kmPrev = prev.has_data ? prev.km.autonomous : null;
  const byVehicle = countBy(d, (e) => e.vehicle_id);
  const ids = new Set(d.map((e) => e.event_id));
  return {
    count: delta(n, np),
    per_1000_km: delta(per(n, cur.km.autonomous, 1000), np === null || kmPrev === null ? null : per(np, kmPrev, 1000)),
    km_per_disengagement: delta(n > 0 ? cur.km.autonomous / n : null, np && kmPrev !== null ? kmPrev / np : null),
    autonomous_km: cur.km.autonomous,
    logged: d.filter((e) => e.origin !== 'detected').length,
    detected_only: d.filter((e) => e.origin === 'detected').length,
    by_initiator: countRows(
      countBy(d, (e) => e.initiator ?? 'unknown'),
      prev.has_data ? countBy(dp, (e) => e.initiator ?? 'unknown') : null,
      ['system', 'driver', 'remote', 'passenger', 'unknown'],
    ),
    by_cause: countRows(
      countBy(d, (e) => e.cause ?? 'unknown'),
      prev.has_data ? countBy(dp, (e) => e.cause ?? 'unknown') : null,
    ).sort((a, b) => b.count - a.count),
    by_district: countRows(
      countBy(d, (e) => e.district ?? '—'),
      prev.has_data ? countBy(dp, (e) => e.district ?? '—') : null,
    ).sort((a, b) => b.count - a.count),
    by_vehicle: [...cur.vehicles.values()]
      .sort((a, b) => a.vehicle_id.localeCompare(b.vehicle_id))
      .map((v) => ({
        company_id: v.company_id,
        vehicle_id: v.vehicle_id,
        plate: fleet.vehicles.get(v.vehicle_id)?.plate ?? null,
        count: byVehicle[v.vehicle_id] ?? 0,
        autonomous_km: v.km.autonomous,
        per_1000_km: per(byVehicle[v.vehicle_id] ?? 0, v.km.autonomous, 1000),
      })),
    events: ctx.incidents.filter((i) => ids.has(i.event_id)),
  };
}

// ── 6. Accidents ─────────────────────────────────────────────────────────────────────────────────────────────────

export function accidentSection(ctx: BuildContext): AccidentSection {
  const { cur, prev, t } = ctx;
  const c = counted(cur.events, 'collision');
  const cp = counted(prev.events, 'collision');
  const sev = (e: ReportEvent) => e.severity ?? 'unspecified';
  const list: AccidentRow[] = ctx.incidents
    .filter((i) => i.kind === 'collision')
    .map((i) => {
      const f = collisionFacts(i);
      return {
        ...i,
        counterpart: f.counterpart,
        injury: i.severity,
        damage: f.damage,
        liability: f.liability,
        vulnerable_road_user: f.vru,
        record_90s: i.window ? i.window.complete : null,
        stop_testing: stopTesting(i, t),
      };
    });
  return {
    count: delta(c.length, prev.has_data ? cp.length : null),
    per_million_km: delta(per(c.length, cur.km.total, 1e6), prev.has_data ? per(cp.length, prev.km.total, 1e6) : null),
    by_severity: countRows(countBy(c, sev), prev.has_data ? countBy(cp, sev) : null, [...INJURY_LEVELS, 'unspecified']),
    in_autonomous: list.filter((a) => a.mode === 'autonomous').length,
    vulnerable_road_user: list.filter((a) => a.vulnerable_road_user === true).length,
    stop_testing: list.some((a) => a.stop_testing),
    list,
  };
}

// ── 7. Violations ────────────────────────────────────────────────────────────────────────────────────────────────

export function violationSection(ctx: BuildContext): ViolationSection {
  const { cur, prev, t } = ctx;
  const v = counted(cur.events, 'traffic_violation');
  const vp = counted(prev.events, 'traffic_violation');
  const s = counted(cur.events, 'speeding');
  const sp = counted(prev.events, 'speeding');
  const ids = new Set(v.map((e) => e.event_id));
  const share = (f: MonthFacts) => (f.m_limit > 0 ? (f.m_over / f.m_limit) * 100 : null);
  return {
    recorded: delta(v.length, prev.has_data ? vp.length : null),
    by_cause: countRows(
      countBy(v, (e) => e.cause ?? 'unknown'),
      prev.has_data ? countBy(vp, (e) => e.cause ?? 'unknown') : null,
    ),
    list: ctx.incidents.filter((i) => ids.has(i.event_id)),
    speeding: {
      episodes: delta(s.length, prev.has_data ? sp.length : null),
      by_tier: countRows(
        countBy(s, (e) => e.severity ?? 'unspecified'),
        prev.has_data ? countBy(sp, (e) => e.severity ?? 'unspecified') : null,
        ['high', 'medium', 'low'],
      ),
      autonomous_km_with_limit: cur.m_limit / 1000,
      autonomous_km_over_limit: cur.m_over / 1000,
      share_over_limit: delta(share(cur), prev.has_data ? share(prev) : null),
      max_excess_pct: cur.max_ratio === null ? null : Math.max(0, (cur.max_ratio - 1) * 100),
      tolerance: t.speedingTolerance,
    },
  };
}

// ── 8. Safety-critical events ────────────────────────────────────────────────────────────────────────────────────

export function safetySection(ctx: BuildContext): SafetyEventSection {
  const { cur, prev } = ctx;
  const pick = (f: MonthFacts) => f.events.filter((e) => e.counted && isIncident(e.kind) && !hasOwnSection(e.kind));
  const c = pick(cur);
  const p = pick(prev);
  const kinds = [...new Set([...SAFETY_ORDER, ...c.map((e) => e.kind), ...p.map((e) => e.kind)])];
  const rows: SafetyEventRow[] = kinds.map((kind) => {
    const ev = c.filter((e) => e.kind === kind);
    return {
      kind,
      count: ev.length,
      previous: prev.has_data ? p.filter((e) => e.kind === kind).length : null,
      logged: ev.filter((e) => e.origin === 'logged').length,
      detected: ev.filter((e) => e.origin === 'detected').length,
      imported: ev.filter((e) => e.origin === 'imported').length,
      per_1000_km: per(ev.length, cur.km.total, 1000),
      by_severity: countBy(ev, (e) => e.severity ?? 'unspecified'),
    };
  });
  return {
    total: delta(c.length, prev.has_data ? p.length : null),
    per_1000_km: delta(per(c.length, cur.km.total, 1000), prev.has_data ? per(p.length, prev.km.total, 1000) : null),
    km: cur.km.total,
    rows,
  };
}

// ── 9. System health ─────────────────────────────────────────────────────────────────────────────────────────────

export function systemHealthSection(ctx: BuildContext): SystemHealthSection {
  const { cur, prev } = ctx;
  const pick = (f: MonthFacts) =>
    f.events.filter((e) => e.counted && (HEALTH_KINDS as readonly string[]).includes(e.kind));
  const c = pick(cur);
  const p = pick(prev);
  return {
    total: delta(c.length, prev.has_data ? p.length : null),
    rows: HEALTH_KINDS.map((kind) => {
      const ev = c.filter((e) => e.kind === kind);
      return {
        kind,
        count: ev.length,
        previous: prev.has_data ? p.filter((e) => e.kind === kind).length : null,
        by_cause: countBy(ev, (e) => e.cause ?? 'unknown'),
      };
    }),
  };
}

// ── 10. Data compliance ──────────────────────────────────────────────────────────────────────────────────────────

export function complianceSection(ctx: BuildContext): ComplianceSection {
  const { cur, prev, t, inputs } = ctx;
  const share = (f: MonthFacts) => (f.autonomous_s > 0 ? (f.covered_s / f.autonomous_s) * 100 : null);
  const recordable = ctx.incidents.filter((i) => (RECORDABLE_KINDS as readonly string[]).includes(i.kind));
  const motion = ctx.incidents.filter((i) => (MOTION_KINDS as readonly string[]).includes(i.kind));
  const qc = inputs.quarantine.filter((r) => r.month === 'month');
  const qp = inputs.quarantine.filter((r) => r.month === 'previous');
  const qSum = (rows: typeof qc) => rows.reduce((a, r) => a + r.n, 0);
  const qBy = (rows: typeof qc) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[r.reason] = (out[r.reason] ?? 0) + r.n;
    return out;
  };
  const monthSources = [...inputs.sources.values()].filter((s) => s.in_month);
  const companies = companiesOf(ctx);
  const firsts = companies
    .map((c) => inputs.first_date[c])
    .filter((d): d is string => d !== undefined)
    .sort();
  const earliest = firsts[0] ?? null;
  const daysHeld =
    earliest === null
      ? null
      : Math.round(
          (Date.parse(`${inputs.period.lastDate}T00:00:00Z`) - Date.parse(`${earliest}T00:00:00Z`)) / 86_400_000,
        ) + 1;
  return {
    required_hz: t.positionHz,
    autonomous_hours: cur.autonomous_s / 3600,
    covered_hours: cur.covered_s / 3600,
    coverage_share: delta(share(cur), prev.has_data ? share(prev) : null),
    gaps: {
      count: delta(cur.gaps, prev.has_data ? prev.gaps : null),
      total_s: cur.gap_s,
      longest_s: cur.longest_gap_s,
      threshold_s: t.gapS,
    },
    windows: {
      before_s: t.window.beforeS,
      after_s: t.window.afterS,
      incidents: recordable.length,
      complete: recordable.filter((i) => i.window?.complete).length,
      incomplete: recordable.filter((i) => i.window && !i.window.complete).length,
      detected_incidents: motion.length,
      detected_complete: motion.filter((i) => i.window?.complete).length,
    },
    quarantine: {
      rows: delta(qSum(qc), prev.has_data ? qSum(qp) : null),
      by_reason: countRows(qBy(qc), prev.has_data ? qBy(qp) : null),
    },
    sources: {
      telemetry: monthSources.filter((s) => s.table === 'telemetry').length,
      events: monthSources.filter((s) => s.table === 'events').length,
      rows_stored: cur.rows.reduce((a, r) => a + r.n, 0) + cur.events.length,
    },
    // "The lake holds records back to" — whether that reaches a full retention period back from the month's end
    // (a company testing for less than that has nothing older to keep).
    retention: {
      earliest_record: earliest,
      days_held: daysHeld,
      required_days: t.retentionDays,
      covers_requirement: daysHeld === null ? null : daysHeld >= t.retentionDays,
    },
  };
}

// ── 11. Map ──────────────────────────────────────────────────────────────────────────────────────────────────────

const MAP_MAX_POINTS = 40_000;

export function mapSection(ctx: BuildContext): MapSection {
  const { cur, t } = ctx;
  // The mean position of each minute of each drive, in time order, thinned to one point per grid cell entered (a
  // new point when the cell or the mode changes).
  const byDrive = new Map<string, { vehicle: string; rows: MonthFacts['rows'] }>();
  let samples = 0;
  for (const r of cur.rows) {
    if (r.drive_id === null || r.lon === null || r.lat === null || r.t0 === null) continue;
    samples += r.n;
    let d = byDrive.get(r.drive_id);
    if (!d) byDrive.set(r.drive_id, (d = { vehicle: r.vehicle_id, rows: [] }));
    d.rows.push(r);
  }
  const inv = 1 / t.mapCellDeg;
  const routes = [...byDrive]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([drive_id, d]) => {
      d.rows.sort((a, b) => (a.t0 ?? 0) - (b.t0 ?? 0));
      const points: [number, number, number][] = [];
      let last = '';
      d.rows.forEach((r, i) => {
        const lon = r.lon as number;
        const lat = r.lat as number;
        const mode = (MODE_CODES as Readonly<Record<string, number>>)[r.mode] ?? 0;
        const key = `${Math.floor(lon * inv)},${Math.floor(lat * inv)},${mode}`;
        if (key === last && i !== d.rows.length - 1) return;
        last = key;
        points.push([round6(lon), round6(lat), mode]);
      });
      return { drive_id, vehicle_id: d.vehicle, points };
    });
  let total = routes.reduce((a, r) => a + r.points.length, 0);
  if (total > MAP_MAX_POINTS) {
    const stride = Math.ceil(total / MAP_MAX_POINTS);
    for (const r of routes) r.points = r.points.filter((_, i) => i % stride === 0 || i === r.points.length - 1);
    total = routes.reduce((a, r) => a + r.points.length, 0);
  }
  const incidents = ctx.incidents
    .filter((i) => (RECORDABLE_KINDS as readonly string[]).includes(i.kind) && i.lat !== null && i.lon !== null)
    .map((i) => ({
      event_id: i.event_id,
      kind: i.kind,
      severity: i.severity,
      lon: i.lon as number,
      lat: i.lat as number,
    }));
  let bbox: MapSection['bbox'] = null;
  const extend = (x: number, y: number) => {
    bbox = bbox
      ? [Math.min(bbox[0], x), Math.min(bbox[1], y), Math.max(bbox[2], x), Math.max(bbox[3], y)]
      : [x, y, x, y];
  };
  for (const r of routes) for (const [x, y] of r.points) extend(x, y);
  for (const i of incidents) extend(i.lon, i.lat);
  return { bbox, cell_deg: t.mapCellDeg, bucket_s: ROUTE_BUCKET_S, routes, samples, points: total, incidents };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

// ── 12. Changes ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface SectionsSoFar {
  header: HeaderSection;
  fleet: FleetSection;
  exposure: ExposureSection;
  disengagements: DisengagementSection;
  accidents: AccidentSection;
  violations: ViolationSection;
  safety_events: SafetyEventSection;
  system_health: SystemHealthSection;
  data_compliance: ComplianceSection;
}

export function changesSection(ctx: BuildContext, s: SectionsSoFar): ChangesSection {
  const figures: ChangeRow[] = [];
  const add = (id: string, section: SectionId, d: Delta) => {
    const kind = labelOf(KIND_LABELS, id);
    const label = FIGURES[id] ?? { zh: kind?.zh ?? id, en: kind?.en ?? id, unit: '' };
    figures.push({ id, section, label_zh: label.zh, label_en: label.en, unit: label.unit, ...d });
  };
  for (const m of [...DRIVEN_MODES, 'total'] as const) add(`km_${m}`, 'exposure', s.exposure.km[m]);
  for (const m of [...DRIVEN_MODES, 'total'] as const) add(`h_${m}`, 'exposure', s.exposure.hours[m]);
  add('vehicles_active', 'fleet', s.fleet.vehicles_active);
  add('vehicle_days', 'fleet', s.fleet.vehicle_days);
  add('disengagements', 'disengagements', s.disengagements.count);
  add('disengagements_per_1000_km', 'disengagements', s.disengagements.per_1000_km);
  add('km_per_disengagement', 'disengagements', s.disengagements.km_per_disengagement);
  add('collisions', 'accidents', s.accidents.count);
  add('collisions_per_million_km', 'accidents', s.accidents.per_million_km);
  add('violations', 'violations', s.violations.recorded);
  add('speeding_episodes', 'violations', s.violations.speeding.episodes);
  add('speeding_share', 'violations', s.violations.speeding.share_over_limit);
  add('safety_events', 'safety_events', s.safety_events.total);
  add('safety_events_per_1000_km', 'safety_events', s.safety_events.per_1000_km);
  for (const r of s.safety_events.rows)
    if (r.count || r.previous) add(r.kind, 'safety_events', delta(r.count, r.previous));
  add('health_events', 'system_health', s.system_health.total);
  for (const r of s.system_health.rows)
    if (r.count || r.previous) add(r.kind, 'system_health', delta(r.count, r.previous));
  add('position_coverage', 'data_compliance', s.data_compliance.coverage_share);
  add('gaps', 'data_compliance', s.data_compliance.gaps.count);
  add('quarantined_rows', 'data_compliance', s.data_compliance.quarantine.rows);

  const notes: { zh: string; en: string }[] = [];
  const w = PERIOD_WORDS[ctx.inputs.period.kind];
  for (const v of s.header.ads_versions.filter((x) => x.new_this_period && ctx.prev.has_data)) {
    notes.push({
      zh: `新系统版本投入测试：${v.version}（${v.company_id}，${v.vehicles} 辆车）`,
      en: `New ADS version in use: ${v.version} (${v.company_id}, ${v.vehicles} vehicles)`,
    });
  }
  if (ctx.prev.has_data) {
    const added = [...ctx.cur.vehicles.keys()].filter((v) => !ctx.prev.vehicles.has(v)).sort();
    const gone = [...ctx.prev.vehicles.keys()].filter((v) => !ctx.cur.vehicles.has(v)).sort();
    if (added.length)
      notes.push({
        zh: `${w.this.zh}新增在测车辆：${added.join('、')}`,
        en: `Vehicles active ${w.this.en} but not in the ${w.previous.en}: ${added.join(', ')}`,
      });
    if (gone.length)
      notes.push({
        zh: `${w.previous.zh}在测、${w.this.zh}未测车辆：${gone.join('、')}`,
        en: `Vehicles active in the ${w.previous.en} but not ${w.this.en}: ${gone.join(', ')}`,
      });
  }
  const soon = new Date(Date.parse(`${ctx.inputs.period.lastDate}T00:00:00Z`) + 60 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  for (const p of s.header.permits ?? []) {
    if (p.expires !== null && p.expires > ctx.inputs.period.lastDate && p.expires <= soon)
      notes.push({ zh: `许可 ${p.number} 将于 ${p.expires} 到期`, en: `Permit ${p.number} expires on ${p.expires}` });
  }
  return { previous_period: ctx.inputs.previous.id, previous_has_data: ctx.prev.has_data, figures, notes };
}

// ── Appendix and flags ───────────────────────────────────────────────────────────────────────────────────────────

export function appendixSection(ctx: BuildContext): AppendixSection {
  const incidents = ctx.incidents.filter((i) => (RECORDABLE_KINDS as readonly string[]).includes(i.kind));
  return { incidents, incomplete: incidents.filter((i) => i.window && !i.window.complete).length };
}

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}%`);

export function flagsOf(ctx: BuildContext, s: SectionsSoFar, appendix: AppendixSection): Flag[] {
  const flags: Flag[] = [];
  for (const a of s.accidents.list.filter((x) => x.stop_testing)) {
    flags.push({
      level: 'red',
      code: 'stop_testing',
      company_id: a.company_id,
      event_id: a.event_id,
      message_zh: `${a.local_time} ${a.vehicle_id}${a.plate ? `（${a.plate}）` : ''} 发生碰撞，伤情：${a.severity ?? '未注明'}${a.damage ? `，车损：${a.damage}` : ''}——按广东省规定须暂停测试`,
      message_en: `${a.local_time} ${a.vehicle_id}${a.plate ? ` (${a.plate})` : ''}: collision, injury ${a.severity ?? 'unspecified'}${a.damage ? `, damage ${a.damage}` : ''} — Guangdong stops testing`,
    });
  }
  for (const a of s.accidents.list.filter((x) => x.record_90s === false)) {
    flags.push({
      level: 'amber',
      code: 'incomplete_record',
      company_id: a.company_id,
      event_id: a.event_id,
      message_zh: `${a.local_time} ${a.vehicle_id} 碰撞前后记录不完整（要求事前 ${ctx.t.window.beforeS} 秒）`,
      message_en: `${a.local_time} ${a.vehicle_id}: collision record incomplete (${ctx.t.window.beforeS} s before required)`,
    });
  }
  const otherIncomplete = appendix.incidents.filter((i) => i.kind !== 'collision' && i.window && !i.window.complete);
  if (otherIncomplete.length) {
    flags.push({
      level: 'amber',
      code: 'incomplete_record',
      company_id: ctx.company,
      event_id: null,
      message_zh: `${otherIncomplete.length} 起其他事件的事前 ${ctx.t.window.beforeS} 秒 / 事后 ${ctx.t.window.afterS} 秒记录不完整（见附录）`,
      message_en: `${otherIncomplete.length} other incidents lack a complete −${ctx.t.window.beforeS} s … +${ctx.t.window.afterS} s record (see the appendix)`,
    });
  }
  const r = s.fleet.driverless_ratio;
  if (r && !r.compliant) {
    flags.push({
      level: 'amber',
      code: 'officer_ratio',
      company_id: ctx.company,
      event_id: null,
      message_zh: `无人化测试安全员配比 ${r.officers}:${r.vehicles}，低于 1:${Math.round(1 / r.required)} 要求`,
      message_en: `Driverless safety officers ${r.officers} for ${r.vehicles} vehicles, below the required 1 : ${Math.round(1 / r.required)}`,
    });
  }
  const cov = s.data_compliance.coverage_share.value;
  if (cov !== null && cov < 100 - 1e-9) {
    flags.push({
      level: 'amber',
      code: 'position_coverage',
      company_id: ctx.company,
      event_id: null,
      message_zh: `自动驾驶时段定位频率达标（≥ ${ctx.t.positionHz} Hz）占比 ${pct(cov)}，低于 100%`,
      message_en: `Autonomous time at ≥ ${ctx.t.positionHz} Hz position rate: ${pct(cov)}, below 100 %`,
    });
  }
  const p = ctx.inputs.period;
  for (const pm of s.header.permits ?? []) {
    if (
      pm.expires !== null &&
      pm.expires < p.lastDate &&
      s.header.vehicles.some((v) => v.active && v.permit === pm.number)
    ) {
      flags.push({
        level: 'amber',
        code: 'permit_expired',
        company_id: pm.company_id,
        event_id: null,
        message_zh: `许可 ${pm.number} 已于 ${pm.expires} 到期，但有车辆在测`,
        message_en: `Permit ${pm.number} expired on ${pm.expires} while vehicles under it were testing`,
      });
    }
  }
  if (s.disengagements.detected_only > 0) {
    flags.push({
      level: 'amber',
      code: 'unlogged_disengagement',
      company_id: ctx.company,
      event_id: null,
      message_zh: `${s.disengagements.detected_only} 次脱离仅由数据识别，车端事件日志未记录`,
      message_en: `${s.disengagements.detected_only} disengagements appear only as mode changes in telemetry, not in the vehicle's event log`,
    });
  }
  const qr = s.data_compliance.quarantine.rows.value ?? 0;
  const w = PERIOD_WORDS[p.kind];
  if (qr > 0)
    flags.push({
      level: 'amber',
      code: 'quarantine',
      company_id: ctx.company,
      event_id: null,
      message_zh: `${w.this.zh}数据源有 ${qr} 行被隔离（格式或校验错误）`,
      message_en: `${qr} rows of the sources of ${w.this.en} were quarantined (malformed or failed validation)`,
    });
  return flags;
}

// ── Month by month (multi-month periods) ─────────────────────────────────────────────────────────────────────────

/** The key figures of each month of the period from the same facts as the sections, and their sum (rates recomputed). */
export function monthsOf(ctx: BuildContext): { rows: MonthRow[]; total: MonthRow } {
  const { inputs, company } = ctx;
  const row = (month: string, f: MonthFacts): MonthRow => {
    const n = (kind: string) => counted(f.events, kind).length;
    const dis = n('disengagement');
    return {
      month,
      km: f.km,
      hours: f.hours,
      vehicles_active: f.vehicles.size,
      disengagements: dis,
      per_1000_km: per(dis, f.km.autonomous, 1000),
      collisions: n('collision'),
      violations: n('traffic_violation'),
      speeding_episodes: n('speeding'),
      safety_events: f.events.filter((e) => e.counted && isIncident(e.kind) && !hasOwnSection(e.kind)).length,
    };
  };
  const rows = inputs.period.months.map((m) =>
    row(m, monthFacts([m], 'detail', inputs.rollup, inputs.events, company)),
  );
  return { rows, total: row(inputs.period.id, ctx.cur) };
}
