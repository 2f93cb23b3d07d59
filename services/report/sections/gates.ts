import type { GateRow, GatesSection } from '../model.js';
import { lastMonth } from '../period.js';
import { type BuildContext, companiesOf } from './build-context.js';
import { collisionFacts } from './collision-facts.js';

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
