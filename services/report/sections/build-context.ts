import type { FleetCompany, FleetReference, FleetVehicle } from '../../reference/fleet-reference.js';
import { MOTION_KINDS, RECORDABLE_KINDS, isIncident } from '../../vocabulary/event-kinds.js';
import { VehicleTimelines } from '../context.js';
import { type MonthFacts, monthFacts } from '../facts.js';
import type { ReportInputs } from '../inputs.js';
import type { ReportIncident } from '../model.js';
import { localTime } from '../period.js';
import type { ReportThresholds } from '../thresholds.js';

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

export function companiesOf(ctx: BuildContext): string[] {
  if (ctx.company !== null) return [ctx.company];
  const ids = new Set<string>();
  for (const r of ctx.inputs.rollup) ids.add(r.company_id);
  for (const e of ctx.inputs.events) ids.add(e.company_id);
  for (const h of ctx.inputs.history) ids.add(h.company_id);
  return [...ids].sort();
}
