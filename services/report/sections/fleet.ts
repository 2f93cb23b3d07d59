import { type FleetSection, delta } from '../model.js';
import { type BuildContext, companiesOf } from './build-context.js';
import { prevOr } from './figures.js';

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
