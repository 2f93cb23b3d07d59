import { isIncident } from '../../vocabulary/event-kinds.js';
import { type MonthFacts, monthFacts } from '../facts.js';
import { hasOwnSection } from '../kind-sections.js';
import type { MonthRow, MonthStatus } from '../model.js';
import { monthPeriod } from '../period.js';
import type { BuildContext } from './build-context.js';
import { counted, per } from './figures.js';

/** The key figures of each month of the period from the same facts as the sections, and their sum (rates recomputed). */
export function monthsOf(ctx: BuildContext): { rows: MonthRow[]; total: MonthRow } {
  const { inputs, company } = ctx;
  const status = (to: string, f: MonthFacts): MonthStatus => {
    const ended = to <= ctx.generatedAt;
    if (f.has_data) return ended ? 'complete' : 'in_progress';
    return ended ? 'no_data' : 'not_ended';
  };
  const row = (month: string, f: MonthFacts, to: string): MonthRow => {
    const n = (kind: string) => counted(f.events, kind).length;
    const dis = n('disengagement');
    return {
      month,
      status: status(to, f),
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
    row(m, monthFacts([m], 'detail', inputs.rollup, inputs.events, company), monthPeriod(m).to),
  );
  return { rows, total: row(inputs.period.id, ctx.cur, inputs.period.to) };
}
