import { isIncident } from '../../vocabulary/event-kinds.js';
import { type MonthFacts, countBy } from '../facts.js';
import { SAFETY_ORDER, hasOwnSection } from '../kind-sections.js';
import { type SafetyEventRow, type SafetyEventSection, delta } from '../model.js';
import { rateInterval } from '../rates.js';
import type { BuildContext } from './build-context.js';
import { per } from './figures.js';

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
    rate: rateInterval(c.length, cur.km.total, 1000, ctx.t),
    km: cur.km.total,
    rows,
  };
}
