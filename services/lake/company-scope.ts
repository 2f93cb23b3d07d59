import { SOURCE_COMPANIES } from './views.js';

/** The views a company-scoped caller reads in place of the lake's. */
export const SCOPED_VIEWS = ['telemetry', 'events', 'rollup', 'mileage', 'quarantine', 'sources'] as const;
export type ScopedView = (typeof SCOPED_VIEWS)[number];

/**
 * What one company may see, the one rule for the API (`repository.ts`) and the SQL sandbox (`sql/lake-views.ts`):
 * its own rows of the partitioned tables; and the catalog entries and quarantined lines only of sources that wrote
 * nothing but its rows — a source mixing companies counts and spans the others' rows too, and a rejected line of it
 * may hold another company's data, so no company sees them (regulators and unscoped callers see everything).
 *
 * `company` is a SQL expression (a parameter or a literal); `base(view)` names the unscoped view. Returns each
 * scoped view's SELECT.
 */
export function companyScopedViews(company: string, base: (view: string) => string): Record<ScopedView, string> {
  const own = (view: ScopedView) =>
    `SELECT * FROM ${base(view)} WHERE company = ${company} AND company_id = ${company}`;
  const wroteOnly = `SELECT source_id FROM ${base(SOURCE_COMPANIES)} GROUP BY source_id HAVING bool_and(company = ${company})`;
  return {
    telemetry: own('telemetry'),
    events: own('events'),
    rollup: own('rollup'),
    mileage: own('mileage'),
    // a source mixing companies is not shown: its counts and time span cover the others' rows too
    sources: `SELECT * FROM ${base('sources')} WHERE source_id IN (${wroteOnly})`,
    quarantine: `SELECT * FROM ${base('quarantine')} WHERE source_id IN (${wroteOnly})`,
  };
}
