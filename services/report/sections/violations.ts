import { type MonthFacts, countBy } from '../facts.js';
import { type ViolationSection, delta } from '../model.js';
import type { BuildContext } from './build-context.js';
import { countRows, counted } from './figures.js';

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
