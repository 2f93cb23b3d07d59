import { type MonthFacts, addRow, emptyByMode } from '../facts.js';
import { type ByMode, type Delta, type ExposureSection, delta } from '../model.js';
import type { BuildContext } from './build-context.js';

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
