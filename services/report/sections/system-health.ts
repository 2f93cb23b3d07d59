import { type MonthFacts, countBy } from '../facts.js';
import { HEALTH_KINDS } from '../kind-sections.js';
import { type SystemHealthSection, delta } from '../model.js';
import type { BuildContext } from './build-context.js';

export function systemHealthSection(ctx: BuildContext): SystemHealthSection {
  const { cur, prev } = ctx;
  const pick = (f: MonthFacts) =>
    f.events.filter((e) => e.counted && (HEALTH_KINDS as readonly string[]).includes(e.kind));
  const c = pick(cur);
  const p = pick(prev);
  return {
    total: delta(c.length, prev.has_data ? p.length : null),
    rows: HEALTH_KINDS.map((kind) => {
      const ev = c.filter((e) => e.kind === kind);
      return {
        kind,
        count: ev.length,
        previous: prev.has_data ? p.filter((e) => e.kind === kind).length : null,
        by_cause: countBy(ev, (e) => e.cause ?? 'unknown'),
      };
    }),
  };
}
