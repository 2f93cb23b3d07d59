import { MOTION_KINDS, RECORDABLE_KINDS } from '../../vocabulary/event-kinds.js';
import type { MonthFacts } from '../facts.js';
import { type ComplianceSection, delta } from '../model.js';
import { type BuildContext, companiesOf } from './build-context.js';
import { countRows } from './figures.js';

export function complianceSection(ctx: BuildContext): ComplianceSection {
  const { cur, prev, t, inputs } = ctx;
  const share = (f: MonthFacts) => (f.autonomous_s > 0 ? (f.covered_s / f.autonomous_s) * 100 : null);
  const recordable = ctx.incidents.filter((i) => (RECORDABLE_KINDS as readonly string[]).includes(i.kind));
  const motion = ctx.incidents.filter((i) => (MOTION_KINDS as readonly string[]).includes(i.kind));
  const qc = inputs.quarantine.filter((r) => r.month === 'month');
  const qp = inputs.quarantine.filter((r) => r.month === 'previous');
  const qSum = (rows: typeof qc) => rows.reduce((a, r) => a + r.n, 0);
  const qBy = (rows: typeof qc) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[r.reason] = (out[r.reason] ?? 0) + r.n;
    return out;
  };
  const monthSources = [...inputs.sources.values()].filter((s) => s.in_month);
  const companies = companiesOf(ctx);
  const firsts = companies
    .map((c) => inputs.first_date[c])
    .filter((d): d is string => d !== undefined)
    .sort();
  const earliest = firsts[0] ?? null;
  const daysHeld =
    earliest === null
      ? null
      : Math.round(
          (Date.parse(`${inputs.period.lastDate}T00:00:00Z`) - Date.parse(`${earliest}T00:00:00Z`)) / 86_400_000,
        ) + 1;
  return {
    required_hz: t.positionHz,
    autonomous_hours: cur.autonomous_s / 3600,
    covered_hours: cur.covered_s / 3600,
    coverage_share: delta(share(cur), prev.has_data ? share(prev) : null),
    gaps: {
      count: delta(cur.gaps, prev.has_data ? prev.gaps : null),
      total_s: cur.gap_s,
      longest_s: cur.longest_gap_s,
      threshold_s: t.gapS,
    },
    windows: {
      before_s: t.window.beforeS,
      after_s: t.window.afterS,
      incidents: recordable.length,
      complete: recordable.filter((i) => i.window?.complete).length,
      incomplete: recordable.filter((i) => i.window && !i.window.complete).length,
      detected_incidents: motion.length,
      detected_complete: motion.filter((i) => i.window?.complete).length,
    },
    quarantine: {
      rows: delta(qSum(qc), prev.has_data ? qSum(qp) : null),
      by_reason: countRows(qBy(qc), prev.has_data ? qBy(qp) : null),
    },
    sources: {
      telemetry: monthSources.filter((s) => s.table === 'telemetry').length,
      events: monthSources.filter((s) => s.table === 'events').length,
      rows_stored: cur.rows.reduce((a, r) => a + r.n, 0) + cur.events.length,
    },
    // "The lake holds records back to" — whether that reaches a full retention period back from the month's end
    // (a company testing for less than that has nothing older to keep).
    retention: {
      earliest_record: earliest,
      days_held: daysHeld,
      required_days: t.retentionDays,
      covers_requirement: daysHeld === null ? null : daysHeld >= t.retentionDays,
    },
  };
}
