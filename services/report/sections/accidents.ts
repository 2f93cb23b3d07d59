import { INJURY_LEVELS } from '../../vocabulary/severities.js';
import { countBy } from '../facts.js';
import type { ReportEvent } from '../inputs.js';
import { type AccidentRow, type AccidentSection, delta } from '../model.js';
import { rateInterval } from '../rates.js';
import type { BuildContext } from './build-context.js';
import { collisionFacts, stopTesting } from './collision-facts.js';
import { countRows, counted, per } from './figures.js';

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
        around: cur.events
          .filter((e) => e.vehicle_id === i.vehicle_id && e.event_id !== i.event_id)
          .map((e) => ({ e, offset_s: (Date.parse(e.ts) - Date.parse(i.ts)) / 1000 }))
          .filter((x) => x.offset_s >= -t.window.beforeS && x.offset_s <= t.window.afterS)
          // events at one instant (a brake and an emergency manoeuvre) in a fixed order whatever the read order
          .sort(
            (a, b) =>
              a.offset_s - b.offset_s || a.e.kind.localeCompare(b.e.kind) || a.e.event_id.localeCompare(b.e.event_id),
          )
          .map(({ e, offset_s }) => ({
            kind: e.kind,
            offset_s,
            cause: e.cause,
            speed_kmh: e.speed_mps === null ? null : e.speed_mps * 3.6,
          })),
      };
    });
  return {
    count: delta(c.length, prev.has_data ? cp.length : null),
    per_million_km: delta(per(c.length, cur.km.total, 1e6), prev.has_data ? per(cp.length, prev.km.total, 1e6) : null),
    rate: rateInterval(c.length, cur.km.total, 1e6, t),
    by_severity: countRows(countBy(c, sev), prev.has_data ? countBy(cp, sev) : null, [...INJURY_LEVELS, 'unspecified']),
    in_autonomous: list.filter((a) => a.mode === 'autonomous').length,
    vulnerable_road_user: list.filter((a) => a.vulnerable_road_user === true).length,
    stop_testing: list.some((a) => a.stop_testing),
    list,
  };
}
