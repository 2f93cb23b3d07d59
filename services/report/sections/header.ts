import path from 'node:path';
import { monthFacts } from '../facts.js';
import type { HeaderSection } from '../model.js';
import { type BuildContext, companiesOf } from './build-context.js';
import { stopTesting } from './collision-facts.js';
import { counted, per } from './figures.js';

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
      contact: fleet.companies.get(id)?.contact ?? null,
    })),
    period: p,
    previous_period: inputs.previous.id,
    permits,
    vehicles,
    ads_versions,
    company_summary,
    // The file's name only: a report leaves the server's own paths out.
    fleet_reference: fleet.ref ? path.basename(fleet.ref.file) : null,
    generated_at: ctx.generatedAt,
  };
}
