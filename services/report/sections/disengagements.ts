import { countBy } from '../facts.js';
import { type DisengagementSection, delta } from '../model.js';
import { rateInterval } from '../rates.js';
import type { BuildContext } from './build-context.js';
import { countRows, counted, per } from './figures.js';

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
    rate: rateInterval(n, cur.km.autonomous, 1000, ctx.t),
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
